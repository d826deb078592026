import Testing
import LNAData

@Test func moduleDataBuilds() {}
