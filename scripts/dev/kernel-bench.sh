#!/usr/bin/env bash
# Builds LNATensor standalone (no package build, ~10 s) with a small driver and runs kernel benchmarks.
#   scripts/dev/kernel-bench.sh            GEMM shapes of docs/kernels.md, own kernel only
#   scripts/dev/kernel-bench.sh blas       … and OpenBLAS
#   scripts/dev/kernel-bench.sh blas 512 2048 640   one shape (m n k), repeatable
#   scripts/dev/kernel-bench.sh cpu [m n k]   one core, thread CPU time: per-core efficiency under load
#   scripts/dev/kernel-bench.sh attn       causal attention prefill timings
#   scripts/dev/kernel-bench.sh pool       empty parallelFor overhead
#   scripts/dev/kernel-bench.sh backend    which backend GEMMBackend.preferred picks in this build
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${TMPDIR:-/tmp}/lna-kernel-bench"
mkdir -p "$out"
swiftc=$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)
flags=(-O -wmo -enforce-exclusivity=unchecked)
[[ "${LNA_PORTABLE:-}" == "1" ]] || flags+=(-target-cpu native)
"$swiftc" "${flags[@]}" -parse-as-library -module-name LNATensor -emit-library -static \
    -I "$root/Sources/COpenBLAS" "$root"/Sources/LNATensor/*.swift \
    -o "$out/libLNATensor.a" -emit-module-path "$out/LNATensor.swiftmodule"
"$swiftc" -O -I "$out" -I "$root/Sources/COpenBLAS" "$root/scripts/dev/kernel-bench/main.swift" \
    "$out/libLNATensor.a" -lopenblas -o "$out/kernel-bench"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (benchmarks share the machine; numbers are best-of-batches)"
"$out/kernel-bench" "$@"
