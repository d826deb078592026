import Testing
import LNAModels

@Test func moduleModelsBuilds() {}
