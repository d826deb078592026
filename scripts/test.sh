#!/usr/bin/env bash
# Sets up (system libraries, models; idempotent), builds in release mode and runs every test.
# Tests run in release mode: debug Swift is 10-100x slower for numerics.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/setup.sh
# One build: `swift test` enables testable imports by default, which rebuilds every module (and relinks lna) with
# -enable-testing after `swift build`. No test uses `@testable import`, so with them disabled the test build reuses
# the modules and the lna binary built here, and the CLI tests run the same binary a user builds.
swift build -c release --product lna
export LNA_BIN="$here/.build/release/lna"
swift test -c release --disable-testable-imports "$@"

# The binary picks its kernel set by CPUID (docs/kernels.md). Where the best set is AVX-512, run the suites whose
# results pass through the kernels again on the AVX2+FMA set, which must give the same results (KernelSetCLITests
# also runs lna on the generic set). Same test binary, no rebuild.
if [ $# -eq 0 ] && grep -qw avx512f /proc/cpuinfo; then
  echo "[test] the kernel-math suites again with LNA_KERNELS=avx2"
  LNA_KERNELS=avx2 swift test -c release --disable-testable-imports --skip-build \
    --filter 'LNATensorTests|LNAModelsTests|LNARecordingTests|LNAPerplexityTests|LNALensTests|LNAEvalTests'
fi
