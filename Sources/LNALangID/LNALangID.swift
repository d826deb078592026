// LNALangID: see docs/architecture.md
