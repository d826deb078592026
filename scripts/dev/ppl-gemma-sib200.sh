#!/usr/bin/env bash
# The must-show run of docs/perplexity.md: Gemma-3-270M, SIB-200, the ten paper languages; statistics from the
# train split, perplexity on dev+test; masks, figures, the Δ-PPL grids (all and specific+related), the report,
# independent PNG checks (pngcheck, Pillow) and a headless-Chromium screenshot of the report.
# Needs `lna activation` (the recording branch) and the real tokenizer (the tokenizers branch) in the build.
# Usage: scripts/dev/ppl-gemma-sib200.sh [RUN_DIR] [LIMIT]   (LIMIT texts per language for a quick run; default all)
# TRAIN_DATA=DIR records from another SIB-200 copy (e.g. a folder with fewer train rows for a quick run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:-/tmp/lna-runs/gemma-sib200}"
limit="${2:-}"
lna="$here/.build/release/lna"
export LNA_MODELS_DIR="${LNA_MODELS_DIR:-/work/main/models}"
data=/work/shared/datasets/sib200
train_data="${TRAIN_DATA:-$data}"
langs=en,zh,es,fr,de,ja,ru,bn,th,sw
mkdir -p "$run"
cat > "$run/run.json" <<JSON
{"name": "gemma3-270m-sib200", "model": "gemma3-270m", "data": "$data", "languages": "$langs",
 "recording_data": "$train_data", "recording_split": "train", "evaluation_split": "dev+test", "lna": "$("$lna" --version)"}
JSON
[ -d "$run/activations" ] || "$lna" activation --model gemma3-270m -d "$train_data" --split train --lang "$langs" --out "$run/activations" --quiet
[ -f "$run/masks.json" ] || "$lna" autosweep --activations "$run/activations" --json --out "$run" > "$run/autosweep.json"
"$lna" figures "$run"
lim=(); [ -n "$limit" ] && lim=(--limit "$limit")
time "$lna" ppl --model gemma3-270m --masks "$run/masks.json" -d "$data" --classes all "${lim[@]}" --out "$run/ppl"
time "$lna" ppl --model gemma3-270m --masks "$run/masks.json" -d "$data" --classes specific+related "${lim[@]}" --out "$run/ppl-specific-related" --quiet
time "$lna" ppl --model gemma3-270m --masks "$run/masks.json" -d "$data" --classes specific "${lim[@]}" --out "$run/ppl-specific" --quiet
"$lna" report "$run"
pngcheck -q "$run"/figures/*.png "$run"/ppl*/*.png && echo "pngcheck: all OK"
[ -x /tmp/venv-report/bin/python ] && /tmp/venv-report/bin/python -c "
import glob; from PIL import Image
for p in sorted(glob.glob('$run/figures/*.png') + glob.glob('$run/ppl*/*.png')):
    im = Image.open(p); im.load(); print('pillow ok', p, im.size)"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1300,9000 \
  --screenshot="$run/report-screenshot.png" "file://$run/report.html" >/dev/null 2>&1 || true
echo "$run/report.html  $run/report-screenshot.png"
# Own-column check and the specific vs specific+related comparison, from ppl.json.
python3 - "$run" <<'PY'
import json, sys
run = sys.argv[1]
for name in ["ppl", "ppl-specific-related", "ppl-specific"]:
    d = json.load(open(f"{run}/{name}/ppl.json"))
    own = d["own_column_is_largest"]
    diag = [d["delta"][r][d["columns"].index(l)] for r, l in enumerate(d["rows"]) if l in d["columns"]]
    print(f"{name:22s} own column largest: {sum(own.values())}/{len(own)}; mean own-column ΔPPL {sum(diag)/len(diag):.2f}")
PY
