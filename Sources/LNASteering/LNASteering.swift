// LNASteering: see docs/architecture.md
