#!/usr/bin/env bash
# Sets up (system libraries, models; idempotent), builds lna in release mode and runs the main job.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/setup.sh gemma3-270m
swift build -c release --product lna
exec "$here/.build/release/lna" --version "$@"
