#!/usr/bin/env bash
# Re-renders the figures of a real run directory with this build of lna and copies them into docs/images as the
# screenshots docs/report.md shows (Bengali and Thai labels shaped by HarfBuzz):
#   lna figures RUN_DIR   -> figures/*.png (classes per layer, per-language small multiples, overlap)
#   lna report RUN_DIR    -> report.html; its embedded perplexity and steering heatmaps are decoded from it
# plus a 2× crop of the perplexity grid's row labels (the shaping close-up) and, with chromium, a full-page
# screenshot of report.html. Needs a Python with Pillow for the crop (default /work/venv/bin/python).
# Usage: scripts/dev/report-figure-screenshots.sh RUN_DIR   (e.g. runs/gemma3-270m-builtin)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:?usage: report-figure-screenshots.sh RUN_DIR}"
py="${PYTHON:-/work/venv/bin/python}"
lna="${LNA:-$here/.build/release/lna}"
out="$here/docs/images"
"$lna" figures "$run" >/dev/null
"$lna" report "$run" >/dev/null
cp "$run/figures/classes_per_layer.png" "$out/figures-classes-per-layer.png"
cp "$run/figures/language_per_layer.png" "$out/figures-language-per-layer.png"
"$py" - "$run/report.html" "$out" <<'PY'
import base64, io, re, sys
from PIL import Image
html, out = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"', html)
def find(prefix):
    for data, alt in images:
        if alt.startswith(prefix):
            return base64.b64decode(data)
    sys.exit(f"report.html has no figure titled {prefix!r}; figures: {[a for _, a in images]}")
ppl = find("Perplexity after deactivating")
open(f"{out}/figures-ppl-ratio.png", "wb").write(ppl)
open(f"{out}/figures-steering-grid.png", "wb").write(find("Language forcing"))
# Close-up: the row labels (left part) of the perplexity grid, enlarged 2× without smoothing.
img = Image.open(io.BytesIO(ppl)).convert("RGB")
w, h = img.size
crop = img.crop((0, int(h * 0.08), int(w * 0.30), int(h * 0.78)))
crop = crop.resize((crop.width * 2, crop.height * 2), Image.NEAREST)
crop.save(f"{out}/figures-shaping-closeup.png", optimize=True)
PY
if command -v chromium >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,4000 \
    --screenshot="$out/figures-report-page.png" "file://$(cd "$run" && pwd)/report.html" >/dev/null 2>&1 || true
fi
ls -l "$out"/figures-*.png
