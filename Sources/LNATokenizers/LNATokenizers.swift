// LNATokenizers: see docs/architecture.md
