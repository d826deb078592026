#!/usr/bin/env python3
"""Loads the newest safetensors file written by LNAFormatsTests (writerRoundTripsEveryDType) with Python's
`safetensors` package, to check the Swift writer's output is readable by the reference implementation.

Usage (after `swift test -c release --filter LNAFormatsTests`):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install safetensors numpy
    /tmp/venv/bin/python scripts/dev/check_safetensors_with_python.py
"""
import glob, os, json, struct
import numpy as np
from safetensors import safe_open

path = max(glob.glob("/tmp/lna-safetensors-*/roundtrip.safetensors"), key=os.path.getmtime)
with open(path, "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    assert n % 8 == 0, n
    header = json.loads(f.read(n))
    data = f.read()
    print("header:", header)
with safe_open(path, framework="numpy") as f:
    print("metadata:", f.metadata())
    for name in f.keys():
        if f.get_slice(name).get_dtype() == "BF16":
            begin, end = header[name]["data_offsets"]
            bits = np.frombuffer(data[begin:end], dtype="<u2").astype(np.uint32) << 16
            print(name, "BF16 (decoded by hand: numpy has no bfloat16)", bits.view(np.float32).tolist())
            continue
        t = f.get_tensor(name)
        print(name, t.dtype, t.shape, t.ravel().tolist())
print("OK:", path)
