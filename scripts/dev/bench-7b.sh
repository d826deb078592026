#!/usr/bin/env bash
# The 7B-class throughput figure (docs/performance.md): the synthetic Mistral-7B written by lna as a bf16 Hugging
# Face folder and as a bf16 GGUF file (the same weights), then prefill and recording tokens/s with peak memory for
#   lna float32 arithmetic on bf16-stored panels (LNA_WEIGHTS=bf16), lna with layers streamed from the file
#   (LNA_WEIGHTS=streamed), lna bf16 arithmetic (--precision bf16), and llama.cpp on the GGUF
# at 2 threads and at 1 (taskset -c 0), on the same 512 tokens. Needs ~30 GB of disk and ~15 GB of free memory;
# run it on an idle machine. Dev tool, not a test.
# Usage: scripts/dev/bench-7b.sh [WORK_DIR]      (default ~/.cache/lna/bench-7b; the checkpoints stay there)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$HOME/.cache/lna/bench-7b}"
venv="${LNA_LLAMACPP_VENV:-$HOME/.cache/lna/llamacpp-venv}"
tokens="${TOKENS:-512}"
lna="$here/.build/release/lna"
mkdir -p "$work"; cd "$work"
[[ -d mistral-7b ]] || "$lna" synthetic mistral-7b --out "$work/mistral-7b"
[[ -f mistral-7b.gguf ]] || "$lna" synthetic mistral-7b --format gguf --out "$work/mistral-7b.gguf"
"$venv/bin/python" -c "import llama_cpp" || { echo "llama-cpp-python missing in $venv: run scripts/compare-llamacpp.sh once" >&2; exit 1; }

peak() { awk -F': ' '/Maximum resident/ {printf "%.2f GB", $2 / 1e6}' "$1"; }
lna_run() {   # label threads weights precision
  local pin=(); [[ $2 == 1 ]] && pin=(taskset -c 0)
  LNA_WEIGHTS=$3 /usr/bin/time -v "${pin[@]}" "$lna" bench "$work/mistral-7b" --tokens "$tokens" --precision "$4" \
    --only prefill --only recording --repeats 1 --no-peak --json --tokens-out tokens.json > "lna-$1-$2.json" 2> "lna-$1-$2.time"
  python3 -c 'import json,sys; r={x["mode"]: x["tokensPerSecond"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]:34s} {sys.argv[3]} thr  prefill {r["prefill"]:7.2f} tok/s  recording {r["recording"]:7.2f} tok/s  peak {sys.argv[4]}")' \
    "lna-$1-$2.json" "lna $1" "$2" "$(peak "lna-$1-$2.time")"
}
llama_run() {   # threads
  local pin=(); [[ $1 == 1 ]] && pin=(taskset -c 0)
  /usr/bin/time -v "${pin[@]}" "$venv/bin/python" - "$work/mistral-7b.gguf" tokens.json "$1" > "llama-$1.txt" 2> "llama-$1.time" <<'PY'
import json, sys, time
from llama_cpp import Llama
gguf, tokens_file, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
tokens = json.load(open(tokens_file)); n = len(tokens)
llm = Llama(model_path=gguf, n_ctx=n + 16, n_batch=n, n_ubatch=n, n_threads=threads, n_threads_batch=threads,
            logits_all=False, verbose=False)
llm.eval(tokens[:32]); llm.reset()   # warm-up: every weight page read once
t = time.perf_counter(); llm.eval(tokens); seconds = time.perf_counter() - t
print(f"{n / seconds:.2f}")
PY
  printf '%-34s %s thr  prefill %7.2f tok/s  (one run)                  peak %s\n' "llama.cpp bf16 GGUF" "$1" \
    "$(cat "llama-$1.txt")" "$(peak "llama-$1.time")"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for threads in 2 1; do
  lna_run bf16-panels-float32 "$threads" bf16 float32
  lna_run streamed-float32 "$threads" streamed float32
  lna_run bf16-arithmetic "$threads" bf16 bf16
  llama_run "$threads"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
