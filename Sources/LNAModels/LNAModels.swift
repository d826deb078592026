// LNAModels: see docs/architecture.md
