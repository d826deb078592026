#!/usr/bin/env bash
# Benchmark of `lna identify` and `lna autosweep` on the NJUNLP MGSM counts (32 × 14336 × 10).
# Usage: scripts/dev/bench_identify.sh [path/to/lna] [runs]
# Prints the wall time of each run and the stage times (--timing) of the last one. Not a test: never asserts.
set -euo pipefail
LNA=${1:-.build/release/lna}
RUNS=${2:-3}
SRC=${LNA_SHARED_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}/interop/njunlp-mgsm-mistral7b/activations
WORK=$(mktemp -d /tmp/lna-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$LNA" import "$SRC" --dataset mgsm --out "$WORK/acts" > /dev/null
wall() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2> "$WORK/timing"; e=$(date +%s.%N); echo "$e - $s" | bc; }
for source in "$WORK/acts" "$SRC"; do
  label=$([ "$source" = "$SRC" ] && echo "original .pt" || echo "safetensors")
  for i in $(seq "$RUNS"); do echo "identify  ($label) run $i: $(wall "$LNA" identify --activations "$source" -r 0.01 -l 0.109375 --out "$WORK/id" --timing) s"; done
  cat "$WORK/timing"
  for i in $(seq "$RUNS"); do echo "autosweep ($label) run $i: $(wall "$LNA" autosweep --activations "$source" -r 0.01 --out "$WORK/sw" --timing) s"; done
  cat "$WORK/timing"
done
