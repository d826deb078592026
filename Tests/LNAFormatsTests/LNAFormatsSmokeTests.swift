import Testing
import LNAFormats

@Test func moduleFormatsBuilds() {}
