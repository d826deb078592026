import Testing
import LNAPerplexity

@Test func modulePerplexityBuilds() {}
