#!/usr/bin/env bash
# The theoretical fp32 peak of this machine, measured: clock (dependent integer adds) and FMA FLOP/cycle
# (independent AVX-512 FMAs), one copy per core at the same time. See docs/performance.md.
#   scripts/dev/cpu-peak.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${TMPDIR:-/tmp}/lna-cpu-peak"
cc="${CC:-$(command -v clang || command -v gcc)}"
"$cc" -O2 -mavx512f -o "$out" "$here/cpu-peak/cpu_peak.c"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); nominal: $(grep -m1 'cpu MHz' /proc/cpuinfo)"
cores=$(nproc)
for i in $(seq "$cores"); do "$out" & done
wait
