// LNARecording: see docs/architecture.md
