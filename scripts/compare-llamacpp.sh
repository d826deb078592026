#!/usr/bin/env bash
# One long sequence: times llama.cpp's prefill on the same model and tokens as `lna bench`, and prints both and
# the ratios (lna's recording is compared with llama.cpp's prefill). Many short sequences:
# scripts/compare-llamacpp-sentences.sh.
#
# llama.cpp comes from PyPI (llama-cpp-python, built from source for this CPU) in a venv OUTSIDE the repo:
# $LNA_LLAMACPP_VENV, default ~/.cache/lna/llamacpp-venv. Dev tool, not a test.
# Usage: scripts/compare-llamacpp.sh [MODEL_NAME] [TOKENS]      e.g. scripts/compare-llamacpp.sh gemma3-270m 512
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-gemma3-270m}"
tokens="${2:-512}"
venv="${LNA_LLAMACPP_VENV:-$HOME/.cache/lna/llamacpp-venv}"
version="0.3.36"   # the version the goldens in ../shared/reference were made with

if ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
  echo "[compare] building llama-cpp-python==$version in $venv (takes a while)" >&2
  python3 -m venv "$venv"
  CMAKE_ARGS="-DGGML_NATIVE=ON -DGGML_OPENMP=OFF" "$venv/bin/pip" install --quiet "llama-cpp-python==$version"
fi

cd "$here"
bash scripts/setup.sh "$model" >&2
swift build -c release --product lna >&2
lna="$here/.build/release/lna"
# THREADS=n pins both programs to the first n cores (taskset): lna sizes its pool from the affinity mask,
# llama.cpp gets n threads. THREADS=1 compares per-core speed, which other load on the machine distorts least.
pin=(); [[ -n "${THREADS:-}" ]] && pin=(taskset -c "0-$((THREADS - 1))")
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"${pin[@]}" "$lna" bench "$model" --tokens "$tokens" --only prefill --only recording --only logits --no-peak --json \
  --tokens-out "$work/tokens.json" > "$work/lna.json"
gguf="$("$lna" inspect "$model" --json | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["path"])')"

"${pin[@]}" "$venv/bin/python" - "$gguf" "$work/tokens.json" "$work/lna.json" <<'PY'
import json, os, sys, time
from llama_cpp import Llama

gguf, tokens_file, lna_file = sys.argv[1:4]
tokens = json.load(open(tokens_file))
lna = json.load(open(lna_file))
threads = lna["threads"]

def best_of(llm, runs=3):
    llm.reset(); llm.eval(tokens)          # warm-up
    best = float("inf")
    for _ in range(runs):
        llm.reset()
        t = time.perf_counter(); llm.eval(tokens); best = min(best, time.perf_counter() - t)
    return best

n = len(tokens)
common = dict(model_path=gguf, n_ctx=n + 16, n_batch=n, n_ubatch=n, n_threads=threads, n_threads_batch=threads,
              verbose=False)
last = best_of(Llama(logits_all=False, **common))
every = best_of(Llama(logits_all=True, **common))
ours = {r["mode"]: r["tokensPerSecond"] for r in lna["results"]}
print(f"model {lna['model']}, {n} tokens in one sequence, {threads} threads, best of 3")
print(f"{'':44s} {'llama.cpp':>12s} {'lna':>12s} {'lna / llama.cpp':>16s}")
rows = [("prefill, no LM head (llama.cpp: last logits)", last, ours["prefill"]),
        ("recording (mlp.hook_act counters on)", last, ours["recording"]),
        ("logits of every position", every, ours["logits"])]
for label, ref_seconds, mine in rows:
    print(f"{label:44s} {n/ref_seconds:10.1f}/s {mine:10.1f}/s {mine/(n/ref_seconds):15.2f}x")
PY
