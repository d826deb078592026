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
# The explorer filtered to zh with its first (most selective) neuron's card open: the page's self-test mode. A
# scrolled headless screenshot comes out blank, so the page is shot tall and cropped at the explorer's offset.
chrome=(chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$run/.chromium")
top=$("${chrome[@]}" --window-size=1300,1300 --virtual-time-budget=5000 --dump-dom "file://$run/report.html#selftest=zh" 2>/dev/null \
  | python3 -c 'import sys, re, json, html; m = re.search(r"<pre id=\"nx-selftest\">(.*?)</pre>", sys.stdin.read()); print(json.loads(html.unescape(m.group(1)))["top"])')
"${chrome[@]}" --window-size=1300,$((top + 1300)) --virtual-time-budget=5000 --screenshot="$run/explorer-tall.png" \
  "file://$run/report.html#selftest=zh" >/dev/null 2>&1
/work/venv/bin/python - "$run" "$top" <<'PY'
import sys
from PIL import Image
run, top = sys.argv[1], int(sys.argv[2])
im = Image.open(run + "/explorer-tall.png")
im.crop((0, max(0, top - 110), im.width, min(im.height, top + 1190))).save(run + "/explorer.png", optimize=True)
PY
rm -rf "$run/.chromium" "$run/explorer-tall.png"
echo "$run/report.html  $run/explorer.png"
