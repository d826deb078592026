import Testing
import LNAPipeline

@Test func modulePipelineBuilds() {}
