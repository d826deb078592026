#!/usr/bin/env bash
# Builds LNATensor standalone (no package build, ~10 s) with a small driver and runs kernel benchmarks.
#   scripts/dev/kernel-bench.sh            GEMM shapes of docs/kernels.md, own kernel only
#   scripts/dev/kernel-bench.sh blas       … and OpenBLAS
#   scripts/dev/kernel-bench.sh blas 512 2048 640   one shape (m n k), repeatable
#   scripts/dev/kernel-bench.sh cpu [m n k]   one core, thread CPU time: per-core efficiency under load
#        (CORE_PEAK=GFLOP/s: the core's peak to report against, default 243 = Zen 5; 117 on a Zen 4 — cpu-peak.sh;
#         COLD=N: cycle through N copies of the layer, so its weights come from memory as in a forward; BIAS=1)
#   scripts/dev/kernel-bench.sh score [m n k]   the fused LM head (PackedLinear.scoreRows), one core, CPU time
#        (PRECISION=bf16: the bf16-arithmetic head, BF16ArithmeticLinear.scoreRows)
#   scripts/dev/kernel-bench.sh attn       causal attention prefill, one core, thread CPU time
#   Every result line ends in a digest of the result bits: equal digests = bit-identical (compare two builds).
#   scripts/dev/kernel-bench.sh int8 [m n k type]   the same for int8 arithmetic (Int8PackedLinear, VNNI kernel)
#   KERNEL_CFLAGS="-DLNA_INT8_TILE_OUTPUTS=6 -DLNA_INT8_TILE_ROWS=2" … int8   another int8 register tile
#   scripts/dev/kernel-bench.sh pool       empty parallelFor overhead
#   scripts/dev/kernel-bench.sh backend    which backend GEMMBackend.preferred picks in this build
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${TMPDIR:-/tmp}/lna-kernel-bench"
mkdir -p "$out"
swiftc=$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)
flags=(-O -wmo)
# The C kernels (all three sets, dispatched by CPUID as in the package) and a module map for them.
clang=$(command -v clang || echo /opt/swift/usr/bin/clang)
mkdir -p "$out/cmod"
for c in "$root"/Sources/CLNAKernels/*.c; do
    "$clang" -O2 ${KERNEL_CFLAGS:-} -I "$root/Sources/CLNAKernels/include" -c "$c" -o "$out/cmod/$(basename "$c" .c).o"
done
ar rcs "$out/libCLNAKernels.a" "$out"/cmod/*.o
printf 'module CLNAKernels {\n    header "%s"\n    export *\n}\n' "$root/Sources/CLNAKernels/include/CLNAKernels.h" \
    > "$out/cmod/module.modulemap"
"$swiftc" "${flags[@]}" -parse-as-library -module-name LNATensor -emit-library -static \
    -I "$root/Sources/COpenBLAS" -I "$out/cmod" "$root"/Sources/LNATensor/*.swift \
    -o "$out/libLNATensor.a" -emit-module-path "$out/LNATensor.swiftmodule"
"$swiftc" -O -I "$out" -I "$root/Sources/COpenBLAS" -I "$out/cmod" "$root/scripts/dev/kernel-bench/main.swift" \
    "$out/libLNATensor.a" "$out/libCLNAKernels.a" -lopenblas -o "$out/kernel-bench"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (benchmarks share the machine; numbers are best-of-batches)"
echo "kernel set: ${LNA_KERNELS:-best for this CPU} (LNA_KERNELS=avx512|avx2|generic forces one)"
"$out/kernel-bench" "$@"
