#!/usr/bin/env bash
# Sets up (system libraries, the default model; idempotent), builds lna in release mode, puts it on PATH
# (scripts/install.sh) and runs the main job.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/setup.sh gemma3-270m
swift build -c release --product lna
bash scripts/install.sh   # a link to the build on PATH (~/.local/bin/lna; LNA_BIN_DIR overrides)
lna="$here/.build/release/lna"
if "$lna" help run >/dev/null 2>&1; then
  exec "$lna" run "$@"
fi
# Until the whole pipeline (`lna run`) lands: inspect the default model, generate, and score a text.
"$lna" inspect gemma3-270m
"$lna" generate gemma3-270m "Die Hauptstadt von Deutschland ist" --max-tokens 24
"$lna" score gemma3-270m --text "Le chat dort sur le canapé pendant que la pluie tombe dehors."
