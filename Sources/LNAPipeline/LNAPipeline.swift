// LNAPipeline: see docs/architecture.md
