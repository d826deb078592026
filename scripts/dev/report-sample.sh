#!/usr/bin/env bash
# Renders the sample report (every figure type, made-up numbers) into a folder, default /tmp/lna-report-sample.
# Usage: scripts/dev/report-sample.sh [DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-/tmp/lna-report-sample}"
mkdir -p "$out"
cd "$here"
LNA_REPORT_SAMPLE_DIR="$out" swift test -c release --filter 'LNAReportTests.sampleReportRendersEveryFigure' >/dev/null
echo "$out"
