"""Writes the .pt fuzz seeds (lna writes no .pt files, so these come from torch.save itself).

Run: /work/venv/bin/python scripts/dev/make_fuzz_torch_seeds.py Tests/Fixtures/fuzz-corpus/torch
Each seed is small (a few KB) and covers one layout the readers accept: NJUNLP counts, Tang counts with sums,
Gurgurov counts, a Tang mask list (7 languages), and a non-contiguous (transposed) tensor.
"""
import os
import sys

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)

over_zero = torch.randint(0, 9, (2, 3), dtype=torch.int64)
seeds = {
    "seed-torch-njunlp-counts": {"total_tokens": 9, "over_zero": over_zero},
    "seed-torch-tang-counts": {"n": 9, "over_zero": over_zero.to(torch.int32), "sum1": torch.rand(2, 3)},
    "seed-torch-gurgurov-counts": {
        "n": 9, "over_zero": over_zero, "average_activations": torch.rand(2, 3, dtype=torch.float64),
        "activation_counts": over_zero.clone()},
    "seed-torch-masks": [[torch.tensor([0, 2], dtype=torch.int64), torch.tensor([1], dtype=torch.int64)]
                         for _ in range(7)],
    "seed-torch-strided": {"total_tokens": 4, "over_zero": torch.arange(6, dtype=torch.int64).reshape(3, 2).t(),
                           "half": torch.rand(2, 2).to(torch.float16), "bf": torch.rand(2).to(torch.bfloat16)},
}
for name, value in seeds.items():
    torch.save(value, os.path.join(out, name))
