#!/usr/bin/env bash
# Fuzzes one lna reader with libFuzzer for a given time, under a memory limit.
#
#   scripts/fuzz.sh READER SECONDS [libFuzzer flags...]
#   READER: gguf safetensors config tokenizer torch statistics masks dataset
#
# Builds the reader modules with `swiftc -sanitize=fuzzer,address` into .build/fuzz (only what changed), runs
# the fuzzer on a working corpus (.build/fuzz/corpus/READER, started from the committed corpus and lna-written
# seeds), keeps every crasher / timeout / out-of-memory input as a regression fixture under
# Tests/Fixtures/fuzz/READER/, and finally merges the new coverage into the committed, minimised corpus
# Tests/Fixtures/fuzz-corpus/READER (inputs ≤ 64 KB). FuzzReplayTests replays both in CI.
# LNA_FUZZ_SANITIZERS overrides the sanitizers (default fuzzer,address).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
readers="gguf safetensors config tokenizer torch statistics masks dataset"
if [[ $# -lt 2 ]] || ! [[ " $readers " == *" $1 "* ]] || ! [[ $2 =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh READER SECONDS [libFuzzer flags]   (READER: ${readers// /, })" >&2
    exit 64
fi
reader=$1 seconds=$2
shift 2
sanitizers=${LNA_FUZZ_SANITIZERS:-fuzzer,address}
build="$here/.build/fuzz/$sanitizers"
mkdir -p "$build"

# Module name and source folder, in dependency order (what LNAFuzzTargets imports, and their dependencies).
modules=(
    "LNAFiles Sources/LNAFiles"
    "LNAFormats Sources/LNAFormats"
    "LNATokenizers Sources/LNATokenizers"
    "LNAData Sources/LNAData"
    "LNAAnalysis Sources/LNAAnalysis"
    "LNAFuzzTargets Tests/LNAFuzzTargets"
)
rebuilt=0
for entry in "${modules[@]}"; do
    read -r name folder <<<"$entry"
    mapfile -t sources < <(find "$folder" -name '*.swift' | sort)
    object="$build/$name.o"
    if [[ $rebuilt == 1 || ! -f $object ]] || [[ -n $(find "$folder" -name '*.swift' -newer "$object" | head -1) ]]; then
        echo "fuzz.sh: compiling $name" >&2
        swiftc -swift-version 6 -O -wmo -parse-as-library -enable-testing -sanitize="$sanitizers" \
            -module-name "$name" -I "$build" -I Sources/COpenBLAS \
            -emit-module -emit-module-path "$build/$name.swiftmodule" -emit-object -o "$object" "${sources[@]}"
        rebuilt=1
    fi
done
binary="$build/lna-fuzz"
if [[ $rebuilt == 1 || ! -f $binary || Tests/Fuzz/main.swift -nt $binary ]]; then
    echo "fuzz.sh: linking $binary" >&2
    objects=()
    for entry in "${modules[@]}"; do read -r name _ <<<"$entry"; objects+=("$build/$name.o"); done
    swiftc -swift-version 6 -O -parse-as-library -sanitize="$sanitizers" -I "$build" -I Sources/COpenBLAS \
        Tests/Fuzz/main.swift "${objects[@]}" -lopenblas -o "$binary"
fi

committed="$here/Tests/Fixtures/fuzz-corpus/$reader"
crashers="$here/Tests/Fixtures/fuzz/$reader"
corpus="$here/.build/fuzz/corpus/$reader"
mkdir -p "$committed" "$crashers" "$corpus"
# The readers that take paths get each input as a file: in memory (tmpfs) that costs microseconds, on a disk
# milliseconds, which would make those readers a hundred times slower to fuzz.
scratch_base=/tmp
[[ -d /dev/shm && -w /dev/shm ]] && scratch_base=/dev/shm
scratch="$(mktemp -d "$scratch_base/lna-fuzz-$reader.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

export LNA_FUZZ_READER=$reader LNA_FUZZ_SCRATCH=$scratch LNA_FUZZ_SEEDS=$corpus
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"   # also in -fork=N jobs
# One process (the machine is shared); 2 GB resident at most, 10 s per input; crashers go to the fixtures.
# Leaks are not findings here (Foundation keeps caches; a leak cannot crash a one-shot command).
status=0
"$binary" "$corpus" "$committed" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -detect_leaks=0 -artifact_prefix="$crashers/" -print_final_stats=1 "$@" || status=$?

# Keep the coverage: merge the working corpus into the committed one (a minimal subset, small inputs only).
unset LNA_FUZZ_SEEDS
merged="$scratch/merged"
mkdir -p "$merged"
"$binary" -merge=1 -detect_leaks=0 -max_len=65536 -rss_limit_mb=2048 -timeout=10 "$merged" "$committed" "$corpus" >/dev/null 2>&1 || true
if [[ -n $(ls -A "$merged") ]]; then
    find "$committed" -maxdepth 1 -type f ! -name 'seed-*' -delete
    find "$merged" -maxdepth 1 -type f -size -65k -exec cp {} "$committed/" \;
fi
echo "fuzz.sh: $reader: corpus $(ls "$committed" | wc -l) files, $(ls "$crashers" | wc -l) regression fixtures" >&2
exit $status
