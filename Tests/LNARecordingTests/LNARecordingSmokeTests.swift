import Testing
import LNARecording

@Test func moduleRecordingBuilds() {}
