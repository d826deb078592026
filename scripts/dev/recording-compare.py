#!/usr/bin/env python3
"""Compare two folders of lna activation statistics (safetensors) tensor by tensor.

usage: recording-compare.py DIR_A DIR_B
Prints, per language and tensor, how many entries differ and by how much. numpy only (no safetensors package).
"""
import json, os, struct, sys
import numpy as np

DT = {"I64": np.int64, "F64": np.float64, "F32": np.float32, "I32": np.int32}

def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=DT[info["dtype"]]).reshape(info["shape"])
    return out, header.get("__metadata__", {})

def main(a_dir, b_dir):
    for name in sorted(os.listdir(a_dir)):
        if not name.endswith(".safetensors"):
            continue
        a, meta_a = load(os.path.join(a_dir, name))
        b, meta_b = load(os.path.join(b_dir, name))
        parts = []
        for key in sorted(a):
            if key not in b:
                parts.append(f"{key}: missing in B")
                continue
            x, y = a[key], b[key]
            if x.dtype.kind == "i":
                diff = np.abs(x - y)
                parts.append(f"{key}: {int((diff != 0).sum())}/{x.size} differ (max {int(diff.max())})")
            else:
                rel = np.abs(x - y) / np.maximum(1, np.abs(y))
                parts.append(f"{key}: max rel gap {rel.max():.2e}")
        print(f"{name[:-12]} [{meta_a.get('mode')} vs {meta_b.get('mode')}, merged {meta_a.get('boundary_merged')}]: " + "; ".join(parts))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
