// LNAHooks: see docs/architecture.md
