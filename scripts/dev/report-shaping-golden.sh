#!/usr/bin/env bash
# Writes Tests/LNAReportTests/Fixtures/shaping-golden.json: what HarfBuzz's own command-line tool (`hb-shape`,
# Debian libharfbuzz-bin) returns for labels in scripts that need shaping, on the Noto faces the standard
# FontCatalog picks for them. The Swift test (ShapingTests) shapes "code + native text" labels through
# FontLibrary — script itemisation, direction, font fallback, cluster offsets are ours — and must get exactly these
# glyph ids, clusters, offsets and advances. Each font's path and sha256 are recorded; the test fails with a clear
# message when the machine's font differs (then re-run this script and review the diff).
# Usage: scripts/dev/report-shaping-golden.sh   (needs hb-shape and fonts-noto-core; run from the repo root)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$here/Tests/LNAReportTests/Fixtures/shaping-golden.json"
noto=/usr/share/fonts/truetype/noto
command -v hb-shape >/dev/null || { echo "hb-shape missing: apt-get install libharfbuzz-bin" >&2; exit 1; }
export LC_ALL=C.UTF-8   # hb-shape reads its text argument in the locale's encoding
# name | label prefix (drawn by the Latin face) | text | ISO 15924 script | direction | font file
cases=(
  "bengali-conjunct|bn |ক্ষ|Beng|ltr|$noto/NotoSansBengali-Regular.ttf"
  "bengali-name|bn |বাংলা|Beng|ltr|$noto/NotoSansBengali-Regular.ttf"
  "thai-leading-vowel|th |เมือง|Thai|ltr|$noto/NotoSansThai-Regular.ttf"
  "thai-name|th |ไทย|Thai|ltr|$noto/NotoSansThai-Regular.ttf"
  "arabic-lam-alef|ar |السلام|Arab|rtl|$noto/NotoSansArabic-Regular.ttf"
  "arabic-name|ar |العربية|Arab|rtl|$noto/NotoSansArabic-Regular.ttf"
  "devanagari-pre-base-i|hi |हिन्दी|Deva|ltr|$noto/NotoSansDevanagari-Regular.ttf"
)
{
  printf '{\n  "generator": "scripts/dev/report-shaping-golden.sh",\n'
  printf '  "hb_shape": "%s",\n  "cases": [\n' "$(hb-shape --version | head -1)"
  for i in "${!cases[@]}"; do
    IFS='|' read -r name prefix text script direction font <<<"${cases[$i]}"
    [ -f "$font" ] || { echo "missing font $font (fonts-noto-core)" >&2; exit 1; }
    # ot font functions at the default scale (units per em), the script and direction set, no language: the
    # same settings FontLibrary uses.
    glyphs="$(hb-shape --font-funcs=ot --no-glyph-names --output-format=json \
      --script="$script" --direction="$direction" "$font" "$text")"
    sep=","; [ "$i" -eq $((${#cases[@]} - 1)) ] && sep=""
    printf '    {"name": "%s", "prefix": "%s", "text": "%s", "script": "%s", "direction": "%s",\n' \
      "$name" "$prefix" "$text" "$script" "$direction"
    printf '     "font": "%s", "font_sha256": "%s",\n' "$font" "$(sha256sum "$font" | cut -d' ' -f1)"
    printf '     "glyphs": %s}%s\n' "$glyphs" "$sep"
  done
  printf '  ]\n}\n'
} > "$out.tmp"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
