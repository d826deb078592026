import Testing
import LNALangID

@Test func moduleLangIDBuilds() {}
