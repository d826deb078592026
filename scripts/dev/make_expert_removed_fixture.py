#!/usr/bin/env python3
"""Writes Tests/Fixtures/experts/mixtral-without-experts/: the tiny random Mixtral of
Tests/Fixtures/transformers/mixtral with expert 1 of layer 0 and expert 2 of layer 1 removed by hand (their
router rows and w1/w2/w3 deleted, the experts after them renumbered, num_local_experts - 1), and checks with
transformers that it runs. LNAPerplexityTests compares `lna experts`' router deactivation (logit -inf in
blocks.L.mlp.hook_router) against this checkpoint.

Usage: /work/venv/bin/python scripts/dev/make_expert_removed_fixture.py
"""
import json
import pathlib
import re

import torch
from safetensors.torch import load_file, save_file

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = ROOT / "Tests/Fixtures/transformers/mixtral"
TARGET = ROOT / "Tests/Fixtures/experts/mixtral-without-experts"
REMOVED = {0: 1, 1: 2}  # layer -> expert


def main():
    tensors = load_file(SOURCE / "model.safetensors")
    out = {}
    expert = re.compile(r"^model\.layers\.(\d+)\.block_sparse_moe\.experts\.(\d+)\.(.*)$")
    router = re.compile(r"^model\.layers\.(\d+)\.block_sparse_moe\.gate\.weight$")
    for name, value in tensors.items():
        m = expert.match(name)
        if m:
            layer, e, rest = int(m.group(1)), int(m.group(2)), m.group(3)
            x = REMOVED[layer]
            if e == x:
                continue
            out[f"model.layers.{layer}.block_sparse_moe.experts.{e - 1 if e > x else e}.{rest}"] = value.clone()
            continue
        m = router.match(name)
        if m:
            x = REMOVED[int(m.group(1))]
            out[name] = torch.cat([value[:x], value[x + 1:]]).contiguous()
            continue
        out[name] = value.clone()
    config = json.loads((SOURCE / "config.json").read_text())
    config["num_local_experts"] -= 1
    TARGET.mkdir(parents=True, exist_ok=True)
    save_file(out, TARGET / "model.safetensors", metadata={"format": "pt"})
    (TARGET / "config.json").write_text(json.dumps(config, indent=2) + "\n")

    from transformers import AutoModelForCausalLM
    model = AutoModelForCausalLM.from_pretrained(TARGET, dtype=torch.float32)
    ids = torch.tensor([[0, 5, 17, 42, 99, 7]])
    print("logits", tuple(model(ids).logits.shape), "experts", model.config.num_local_experts)


if __name__ == "__main__":
    main()
