// LNAAnalysis: see docs/architecture.md
