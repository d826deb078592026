#!/usr/bin/env bash
# Screenshots the sample HTML report with headless Chromium (Debian's `chromium`, installed here only for this dev
# check) so a person can look at it. Usage: scripts/dev/report-screenshot.sh [DIR]  -> DIR/report-screenshot.png
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:-$("$here/scripts/dev/report-sample.sh")}"
command -v chromium >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
for name in report ppl-delta; do
  src="$dir/$name.html"; [ "$name" = report ] || { src="$dir/$name.svg"; }
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2400 \
    --screenshot="$dir/$name-screenshot.png" "file://$src" >/dev/null 2>&1
  echo "$dir/$name-screenshot.png"
done
