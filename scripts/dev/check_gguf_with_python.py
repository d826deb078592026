#!/usr/bin/env python3
"""Reads the newest GGUF files written by LNAFormatsTests (GGUFWriterTests) with gguf-py's GGUFReader and
dequantize, to check the Swift writer's output against the reference reader.

Usage (after `swift test -c release --filter GGUFWriterTests`):
    /tmp/venv/bin/pip install gguf numpy; /tmp/venv/bin/python scripts/dev/check_gguf_with_python.py
"""
import glob, os
import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

def newest(name):
    return max(glob.glob(f"/tmp/lna-gguf-writer-*/{name}"), key=os.path.getmtime)

meta = GGUFReader(newest("meta.gguf"))
for key, field in meta.fields.items():
    if key.startswith("t."):
        print(key, [t.name for t in field.types], field.contents() if not key.endswith("nested") else "(nested)")

r = GGUFReader(newest("tensors.gguf"))
values = (np.sin(np.arange(256) * 0.37) * 3).astype(np.float32)
for t in r.tensors:
    v = dequantize(t.data, t.tensor_type).ravel()
    print(t.name, t.tensor_type.name, t.shape.tolist(), v[:3], "max |err| vs source:",
          float(np.abs(v - values[: v.size]).max()) if v.size == 256 else "")
a = GGUFReader(newest("aligned.gguf"))
print("alignment", a.alignment, [(t.name, t.data_offset % 64) for t in a.tensors])
print("OK")
