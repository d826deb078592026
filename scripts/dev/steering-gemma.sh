#!/usr/bin/env bash
# Real-model steering run on Gemma-3-270M (about 25 min on 2 shared cores; most of it is recording):
# statistics of 7 languages on SIB-200 train, LAPE masks (top rate 0.02), the forcing grid with English prompts,
# an amplification sweep and progressive deactivation. Usage: scripts/dev/steering-gemma.sh [RUN_DIR]
set -euo pipefail
RUN=${1:-/tmp/lna-steering-gemma}
LNA=${LNA_BIN:-.build/release/lna}
export LNA_MODELS_DIR=${LNA_MODELS_DIR:-/work/main/models}
LANGS=en,zh,es,fr,de,ja,ru
SIB=${SIB:-../shared/datasets/sib200}

$LNA activation --model gemma3-270m -l $LANGS -d "$SIB" --split train --out "$RUN/activations" --resume
$LNA identify --activations "$RUN/activations" --languages $LANGS --method lape -r 0.02 -b 0.95 --out "$RUN"
# Six fixed English questions (Gurgurov), source en deactivated (value:-1), target activated (additive, α = 1).
$LNA steer-grid --model gemma3-270m --masks "$RUN/masks.json" --stats "$RUN/activations" \
    --languages $LANGS --sources en --out "$RUN"
$LNA amplify --model gemma3-270m --masks "$RUN/masks.json" --language fr --factors 1,2,5,10 --out "$RUN"
$LNA fallback --model gemma3-270m --masks "$RUN/masks.json" --order en,fr,es,de,ru,zh,ja --out "$RUN"
