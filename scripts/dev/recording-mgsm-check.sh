#!/bin/bash
# One-pass vs two-pass prefix/full statistics on MGSM with the model's own answers (lna respond).
#   scripts/dev/recording-mgsm-check.sh [MODEL] [N_QUESTIONS]
set -euo pipefail
MODEL=${1:-gemma3-270m}
N=${2:-5}
LNA=${LNA:-.build/release/lna}
MGSM=${MGSM:-../shared/datasets/mgsm}
OUT=${OUT:-/tmp/lna-mgsm-check}
mkdir -p "$OUT"
"$LNA" respond --model "$MODEL" -d "$MGSM" -n "$N" --max-tokens 64 --template "Question: {question}
Answer:" --quiet --out "$OUT/answers.json"
"$LNA" activation --model "$MODEL" -l all -d "$OUT/answers.json" -s mgsm --quiet --out "$OUT/one"
"$LNA" activation --model "$MODEL" -l all -d "$OUT/answers.json" -s mgsm --quiet --two-pass --out "$OUT/two"
python3 "$(dirname "$0")/recording-compare.py" "$OUT/one" "$OUT/two"
