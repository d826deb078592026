// LNAReport: see docs/architecture.md
