import Testing
import LNAAnalysis

@Test func moduleAnalysisBuilds() {}
