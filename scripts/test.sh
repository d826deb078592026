#!/usr/bin/env bash
# Sets up (system libraries, models; idempotent), builds in release mode and runs every test.
# Tests run in release mode: debug Swift is 10-100x slower for numerics.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/setup.sh
swift build -c release --product lna
export LNA_BIN="$here/.build/release/lna"
swift test -c release "$@"
