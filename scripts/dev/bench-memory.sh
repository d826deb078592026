#!/usr/bin/env bash
# Peak resident memory of `lna bench`, one fresh process per (model, measurement), against the float32 size of the
# weights (parameters × 4). Also cross-checks ru_maxrss with /usr/bin/time when it is installed.
#   scripts/dev/bench-memory.sh [MODELS…]          default: gemma3-270m smollm2-135m qwen2.5-0.5b
# Environment: TOKENS (512), SIB200 (set to a SIB-200 folder to also measure 256 packed sentences).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
lna="$root/.build/release/lna"
models=("$@"); [[ ${#models[@]} -gt 0 ]] || models=(gemma3-270m smollm2-135m qwen2.5-0.5b)
tokens="${TOKENS:-512}"
printf '%-14s %-34s %10s %12s %8s\n' model measurement "peak RSS" "f32 weights" ratio
for model in "${models[@]}"; do
  for mode in recording logits; do
    workloads=("--tokens $tokens")
    [[ -n "${SIB200:-}" ]] && workloads+=("--sib200 $SIB200 --sentences 256 --packing packed")
    for w in "${workloads[@]}"; do
      # shellcheck disable=SC2086
      json="$("$lna" bench "$model" $w --only "$mode" --repeats 1 --no-peak --json)"
      python3 - "$model" "$mode" "$json" <<'PY'
import json, sys
model, mode, r = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
what = f"{mode}, {r['workload']}"[:34]
print(f"{model:14s} {what:34s} {r['peakResidentBytes']/1e6:8.0f} MB {r['weightBytesF32']/1e6:9.0f} MB {r['residentOverWeights']:7.2f}x")
PY
    done
  done
done
