#!/usr/bin/env bash
# Neuron cards on Gemma-3-270M and SIB-200 (the ten paper languages, LIMIT train sentences each): statistics with
# top contexts, AutoSweep masks, the cards of every mask neuron, the report, and two screenshots of the report
# (the top-5 cards section and the explorer with a card open) for docs/images/.
#   bash scripts/dev/cards-gemma-sib200.sh [RUN_DIR]      (LIMIT=100 K=10 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
lna=${LNA:-.build/release/lna}
shared=${LNA_SHARED_DIR:-../shared}
run=${1:-runs/cards-gemma-sib200}
limit=${LIMIT:-100}
k=${K:-10}
mkdir -p "$run"
run=$(cd "$run" && pwd)
langs=en,zh,es,fr,de,ja,ru,bn,th,sw
time nice "$lna" activation -m gemma3-270m -l $langs -d "$shared/datasets/sib200" --limit "$limit" \
  --top-contexts "$k" --out "$run/activations"
nice "$lna" autosweep --activations "$run/activations" --out "$run"
time nice "$lna" neuron gemma3-270m --all --run "$run"
"$lna" report "$run"
# The strongest zh-specific neuron, opened in the explorer.
top=$(python3 - "$run" <<'PY'
import json, sys
cards = json.load(open(sys.argv[1] + "/neurons/cards.json"))["cards"]
zh = sorted((c for c in cards if c["class"] == "specific" and c["masks"] == ["zh"]), key=lambda c: (c["score"], c["layer"], c["neuron"]))
print(zh[0]["id"] if zh else cards[0]["id"])
PY
)
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1300,1500 \
  --virtual-time-budget=5000 --screenshot="$run/explorer.png" "file://$run/report.html#neuron=$top" >/dev/null 2>&1 || true
echo "$run/report.html  $run/explorer.png (neuron $top)"
