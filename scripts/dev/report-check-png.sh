#!/usr/bin/env bash
# Checks LNAReport's PNGs and SVGs with independent tools: Debian's pngcheck and Pillow (in /tmp/venv-report),
# plus Python's XML parser for the SVGs. Renders the sample report first unless a folder is given.
# Usage: scripts/dev/report-check-png.sh [DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:-$("$here/scripts/dev/report-sample.sh")}"
command -v pngcheck >/dev/null || apt-get install -y -qq pngcheck >/dev/null
venv=/tmp/venv-report
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q pillow; }
pngcheck -q "$dir"/*.png && echo "pngcheck: all OK"
"$venv/bin/python" - "$dir" <<'PY'
import glob, struct, sys, xml.dom.minidom
from PIL import Image
d = sys.argv[1]
for path in sorted(glob.glob(d + "/*.png")):
    raw = open(path, "rb").read()
    w, h = struct.unpack(">II", raw[16:24])
    im = Image.open(path); im.load()
    assert im.size == (w, h), (path, im.size, w, h)
    colours = len(set(im.convert("RGB").getdata()))
    print(f"pillow: {path.split('/')[-1]:32s} {im.mode} {w}x{h} {colours} colours")
for path in sorted(glob.glob(d + "/*.svg")):
    xml.dom.minidom.parse(path)
print("svg: all well-formed")
PY
