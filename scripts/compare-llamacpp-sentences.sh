#!/usr/bin/env bash
# Many short sequences: times llama.cpp and lna on the same SIB-200 sentences (token ids written by
# `lna bench --sib200 … --tokens-out`), packed several sequences per forward call and one sequence per call,
# without the LM head (lna: recording with the mlp.hook_act counters on; llama.cpp: prefill, no outputs) and with
# logits at every position. Prints both and the ratios.
#
# llama.cpp runs through llama-cpp-python's low-level API the fast way it offers for many sequences: one
# llama_batch holding several sequences (each token with its own seq_id and position), one llama_decode per
# batch, n_seq_max = the most sequences in a batch, the KV cache cleared between batches — the same greedy
# packing as `lna activation` (up to BATCH_TOKENS rows per call). Same threads (2) for both.
#
# Usage: scripts/compare-llamacpp-sentences.sh [MODEL] [SENTENCES] [LANG]
#        e.g. scripts/compare-llamacpp-sentences.sh gemma3-270m 256 eng_Latn
# Environment: LNA_SIB200 (default ../shared/datasets/sib200 or /work/shared/datasets/sib200), BATCH_TOKENS
# (2048), REPEATS (3), MODES ("recording logits"), KV_UNIFIED (1: one KV buffer shared by the sequences of a
# batch; 0: one stream per sequence), LNA_LLAMACPP_VENV. Dev tool, not a test.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:-gemma3-270m}"
sentences="${2:-256}"
lang="${3:-eng_Latn}"
sib200="${LNA_SIB200:-/work/shared/datasets/sib200}"
batch_tokens="${BATCH_TOKENS:-2048}"
repeats="${REPEATS:-3}"
modes="${MODES:-recording logits}"
kv_unified="${KV_UNIFIED:-1}"
venv="${LNA_LLAMACPP_VENV:-$HOME/.cache/lna/llamacpp-venv}"
version="0.3.36"

if ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
  echo "[compare] building llama-cpp-python==$version in $venv (takes a while)" >&2
  python3 -m venv "$venv"
  CMAKE_ARGS="-DGGML_NATIVE=ON -DGGML_OPENMP=OFF" "$venv/bin/pip" install --quiet "llama-cpp-python==$version"
fi

cd "$here"
lna="$here/.build/release/lna"
[[ -x "$lna" ]] || swift build -c release --product lna >&2
# THREADS=n pins both programs to the first n cores (taskset): lna sizes its pool from the affinity mask,
# llama.cpp gets n threads. THREADS=1 compares per-core speed, which other load on the machine distorts least.
pin=(); [[ -n "${THREADS:-}" ]] && pin=(taskset -c "0-$((THREADS - 1))")
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
only=(); for m in $modes; do only+=(--only "$m"); done
"${pin[@]}" "$lna" bench "$model" --sib200 "$sib200" --lang "$lang" --sentences "$sentences" --batch-tokens "$batch_tokens" \
  --repeats "$repeats" "${only[@]}" --no-peak --json --tokens-out "$work/lists.json" > "$work/lna.json"
gguf="$("$lna" inspect "$model" --json | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["path"])')"

"${pin[@]}" "$venv/bin/python" - "$gguf" "$work/lists.json" "$work/lna.json" "$batch_tokens" "$repeats" "$modes" "$kv_unified" <<'PY'
import ctypes, json, sys, time
import llama_cpp as L

gguf, lists_file, lna_file = sys.argv[1:4]
batch_tokens, repeats, modes, kv_unified = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6].split(), sys.argv[7] == "1"
seqs = json.load(open(lists_file))
lna = json.load(open(lna_file))
threads = lna["threads"]
total = sum(map(len, seqs))

def packed_batches():
    """lna's RecordingPlan: greedy, in order, up to batch_tokens rows per call."""
    out, start, rows = [], 0, 0
    for i, s in enumerate(seqs):
        if i > start and rows + len(s) > batch_tokens:
            out.append(seqs[start:i]); start, rows = i, 0
        rows += len(s)
    out.append(seqs[start:])
    return out

L.llama_backend_init()
quiet = L.llama_log_callback(lambda level, text, data: None)   # kept referenced: C holds the pointer
L.llama_log_set(quiet, ctypes.c_void_p(0))
model = L.llama_model_load_from_file(gguf.encode(), L.llama_model_default_params())

def context(n_ctx, n_seq):
    p = L.llama_context_default_params()
    p.n_ctx, p.n_batch, p.n_ubatch, p.n_seq_max = n_ctx, n_ctx, n_ctx, n_seq
    p.n_threads = p.n_threads_batch = threads
    p.kv_unified = kv_unified
    return L.llama_init_from_model(model, p)

def timed(calls, outputs):
    """Best of `repeats` passes over all calls (after one warm-up call), seconds."""
    n_seq = max(len(c) for c in calls)
    rows = max(sum(map(len, c)) for c in calls)
    n_ctx = rows if kv_unified else n_seq * max(len(s) for c in calls for s in c)
    ctx = context(n_ctx, n_seq)
    mem = L.llama_get_memory(ctx)
    batch = L.llama_batch_init(rows, 0, 1)
    def run(call):
        n = 0
        for sid, s in enumerate(call):
            for pos, tok in enumerate(s):
                batch.token[n], batch.pos[n], batch.n_seq_id[n] = tok, pos, 1
                batch.seq_id[n][0] = sid
                batch.logits[n] = 1 if outputs == "all" else 0
                n += 1
        batch.n_tokens = n
        L.llama_memory_clear(mem, True)
        rc = L.llama_decode(ctx, batch)
        if rc != 0: raise SystemExit(f"llama_decode failed: {rc}")
        L.llama_synchronize(ctx)
    run(calls[0])
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for call in calls: run(call)
        best = min(best, time.perf_counter() - t)
    L.llama_batch_free(batch); L.llama_free(ctx)
    return best

ours = {(r["mode"], r["packing"]): r for r in lna["results"]}
lengths = sorted(map(len, seqs))
print(f"model {lna['model']}, {lna['workload']}: {len(seqs)} sequences, {total} tokens "
      f"(median {lengths[len(lengths)//2]}, {lengths[0]}–{lengths[-1]}), {threads} threads, best of {repeats}, "
      f"packed up to {batch_tokens} rows per call, llama.cpp kv_unified={int(kv_unified)}")
print(f"{'':44s} {'llama.cpp':>12s} {'lna':>12s} {'lna / llama.cpp':>16s}")
names = {"recording": "no LM head (lna: recording)", "logits": "logits at every position"}
for mode in modes:
    for packing, calls in (("packed", packed_batches()), ("single", [[s] for s in seqs])):
        secs = timed(calls, "all" if mode == "logits" else "none")
        ref = total / secs
        mine = ours[(mode, packing)]["tokensPerSecond"]
        label = f"{names[mode]}, {'packed' if packing == 'packed' else 'one by one'}"
        print(f"{label:44s} {ref:10.1f}/s {mine:10.1f}/s {mine/ref:15.2f}x", flush=True)
PY
