#!/usr/bin/env bash
# The must-show measurement of docs/eval.md: Gemma-3-270M, SIB-200 topic accuracy per paper language at baseline
# and under deactivation of each language's specific and specific+related neurons (masks recorded on SIB-200
# train), then translation en→X chrF with steering toward X against plain prompting.
# Usage: scripts/dev/eval-gemma-sib200.sh [RUN_DIR] [ITEMS_PER_CELL] [TRANSLATION_ITEMS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:-/tmp/lna-runs/gemma-sib200-eval}"
n="${2:-12}"
nt="${3:-6}"
lna="${LNA:-$here/.build/release/lna}"
export LNA_MODELS_DIR="${LNA_MODELS_DIR:-/work/models}" LNA_SHARED_DIR="${LNA_SHARED_DIR:-/work/shared}"
data="$LNA_SHARED_DIR/datasets/sib200"
langs=en,zh,es,fr,de,ja,ru,bn,th,sw
mkdir -p "$run"
[ -f "$run/activations/sw.safetensors" ] || "$lna" activation --model gemma3-270m -d "$data" --split train --lang "$langs" --out "$run/activations" --resume
[ -f "$run/masks.json" ] || "$lna" autosweep --activations "$run/activations" --json --out "$run" > "$run/autosweep.json"
# 14 shots drawn once per language (one prefix per cell, kept in the KV cache); the grids run side by side.
for classes in specific specific+related; do
  "$lna" eval -m gemma3-270m --task sib200-topic -l "$langs" --shots 14 --fixed-shots --limit "$n" \
    --masks "$run/masks.json" --deactivate all --classes "$classes" --out "$run/eval-topic-$classes" --quiet &
done
wait
# Translation en→X: plain prompting against steering toward X (X's neurons boosted by their mean activation).
"$lna" eval -m gemma3-270m --task translate --direction en-x -l fr,zh,ja,sw --shots 1 --limit "$nt" --max-tokens 48 \
  --masks "$run/masks.json" --stats "$run/activations" --steer '{lang}+mean' --out "$run/eval-translate" --quiet
"$lna" report "$run"
