import Testing
import LNATokenizers

@Test func moduleTokenizersBuilds() {}
