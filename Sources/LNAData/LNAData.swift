// LNAData: see docs/architecture.md
