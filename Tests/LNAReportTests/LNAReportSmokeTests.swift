import Testing
import LNAReport

@Test func moduleReportBuilds() {}
