"""llama.cpp against lna on a GGUF written by `lna synthetic --format gguf`: the per-token NLL of the same text.

Writes nothing; prints the largest |Δ NLL| and exits 1 above --tolerance. Run with the llama-cpp-python venv
(scripts/compare-llamacpp.sh creates it):
  lna synthetic tiny --format gguf --out /tmp/syn-tiny.gguf
  ~/.cache/lna/llamacpp-venv/bin/python scripts/dev/check-synthetic-gguf.py /tmp/syn-tiny.gguf .build/release/lna
"""
import argparse, json, math, subprocess

import numpy as np
from llama_cpp import Llama

TEXT = "The quick brown fox jumps over the lazy dog. Language neurons are counted per language, 每种语言。"

parser = argparse.ArgumentParser()
parser.add_argument("gguf")
parser.add_argument("lna")
parser.add_argument("--tolerance", type=float, default=5e-2, help="largest per-token |Δ NLL| (bf16 rounding of activations in llama.cpp)")
parser.add_argument("--precision", default="float32", help="lna arithmetic: llama.cpp multiplies bf16 weights with bf16 activations")
args = parser.parse_args()

ids = json.loads(subprocess.check_output([args.lna, "tokenize", args.gguf, TEXT, "--json"]))["ids"]
ours = json.loads(subprocess.check_output([args.lna, "score", args.gguf, "--text", TEXT, "--json", "--precision", args.precision]))["nll"]
llm = Llama(model_path=args.gguf, n_ctx=len(ids) + 8, logits_all=True, verbose=False)
llama_ids = llm.tokenize(TEXT.encode(), add_bos=False, special=False)
assert llama_ids == ids, f"tokenisation differs: llama.cpp {llama_ids} lna {ids}"
llm.eval(ids)
logits = np.array(llm.scores[: len(ids)], dtype=np.float64)
theirs = []
for position in range(len(ids) - 1):
    row = logits[position]
    top = row.max()
    theirs.append(top + math.log(np.exp(row - top).sum()) - row[ids[position + 1]])
worst = max(abs(a - b) for a, b in zip(ours, theirs))
print(f"{len(theirs)} tokens: Σ NLL lna {sum(ours):.4f}, llama.cpp {sum(theirs):.4f}, largest |Δ| per token {worst:.2e}")
raise SystemExit(0 if worst <= args.tolerance and len(ours) == len(theirs) else 1)
