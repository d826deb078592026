// LNAPerplexity: see docs/architecture.md
