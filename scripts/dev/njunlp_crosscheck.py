#!/usr/bin/env python3
"""Independent numpy re-implementation of NJUNLP identify + AutoSweep, to cross-check `lna`.

Reads the original activation .pt files directly (zip + pickle, no torch), computes response-only
probabilities, the float32 entropy score, tau, masks and appear, runs the AutoSweep bisection, and compares
with an `lna` masks.json (and, optionally, with an original mask file saved by torch.save).

    /tmp/venv-analysis/bin/python scripts/dev/njunlp_crosscheck.py \
        ../shared/interop/njunlp-mgsm-mistral7b/activations --lna out/masks.json [--shipped mask.Mistral-…]
"""
import argparse, glob, json, os, pickle, sys, time, zipfile
import numpy as np

LANGS = ["en", "ru", "es", "fr", "de", "zh", "ja", "bn", "th", "sw"]
DTYPES = {"LongStorage": np.int64, "IntStorage": np.int32, "FloatStorage": np.float32, "DoubleStorage": np.float64}


def load_pt(path):
    """torch.load without torch: storages are read from the zip, tensors rebuilt as numpy arrays."""
    z = zipfile.ZipFile(path)
    pkl = [n for n in z.namelist() if n.endswith("data.pkl")][0]
    root = pkl[: -len("data.pkl")]

    class Storage:
        def __init__(self, name): self.name = name

    def rebuild(storage, offset, size, stride, *rest):
        dtype, key = storage
        data = np.frombuffer(z.read(root + "data/" + key), dtype=dtype)
        n = int(np.prod(size)) if size else 1
        return np.lib.stride_tricks.as_strided(data[offset:], shape=size,
                                               strides=[s * data.itemsize for s in stride]).copy() if n else np.zeros(size, dtype)

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if name.endswith("Storage"): return Storage(name)
            if name == "_rebuild_tensor_v2": return rebuild
            if name == "OrderedDict": return dict
            raise pickle.UnpicklingError(f"unexpected {module}.{name}")

        def persistent_load(self, pid):
            return (DTYPES[pid[1].name], pid[2])

    return Unpickler(z.open(pkl)).load()


def probabilities(folder, langs):
    cols = []
    for lang in langs:
        full = load_pt(glob.glob(os.path.join(folder, f"activation.{lang}.*"))[0])
        pre = load_pt(glob.glob(os.path.join(folder, f"prefix.activation.{lang}.*"))[0])
        dt = max(full["total_tokens"] - pre["total_tokens"], 1)
        dc = np.maximum(full["over_zero"] - pre["over_zero"], 0)
        cols.append(dc.astype(np.float32) / np.float32(dt))
    return np.stack(cols, axis=-1)  # [L, H, K] float32


def entropy(p):
    """Normalised entropy in float32 with left-to-right sums over languages (as torch on 10 elements)."""
    L, H, K = p.shape
    v = p.reshape(-1, K)
    s = v[:, 0].copy()
    for k in range(1, K): s = s + v[:, k]
    q = np.where((s > 0)[:, None], v / np.where(s > 0, s, 1)[:, None], np.float32(1.0 / K)).astype(np.float32)
    q = np.maximum(q, np.float32(1e-12))
    t = q[:, 0].copy()
    for k in range(1, K): t = t + q[:, k]
    q = q / t[:, None]
    h = np.zeros(len(q), np.float32)
    for k in range(K): h = h + q[:, k] * np.log(q[:, k] + np.float32(1e-30))
    return (-h).astype(np.float64) / np.log(K), v.max(axis=1).astype(np.float64)


def identify(p, e, peak, rate, lam, bar):
    L, H, K = p.shape
    norm_max = sum(1 / m for m in range(1, K + 1)) / K
    score = (e - peak * lam / norm_max).astype(np.float32)
    k = round(L * H * rate)
    sel = np.argsort(score, kind="stable")[:k]  # stable: ties by flat index
    tau = np.sort(p.ravel())[round(p.size * bar) - 1]
    flat = p.reshape(-1, K)
    masks = [[[] for _ in range(L)] for _ in range(K)]
    for n in np.sort(sel):
        for lang in range(K):
            if flat[n, lang] > tau: masks[lang][n // H].append(int(n % H))
    count = (flat[sel] > tau).sum(axis=1)
    appear = np.bincount(count[count > 0], minlength=K + 1).tolist()
    return masks, appear, float(tau)


def autosweep(p, e, peak, rate, bar, lo=0.0, hi=0.2, eps=1e-3):
    K = p.shape[2]
    ok = lambda a: a[K] == 0
    steps, best = [], None
    for lam in (lo, hi):
        a = identify(p, e, peak, rate, lam, bar)[1]
        steps.append((lam, a))
        if ok(a): best = lam
    if best == hi: return best, steps
    while hi - lo > eps:
        mid = (lo + hi) / 2
        a = identify(p, e, peak, rate, mid, bar)[1]
        steps.append((mid, a))
        if ok(a): best, lo = mid, mid
        else: hi = mid
    return best, steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("-r", type=float, default=0.01)
    ap.add_argument("-b", type=float, default=0.95)
    ap.add_argument("--lna", help="masks.json written by lna identify/autosweep")
    ap.add_argument("--shipped", help="an original mask file (torch.save of list[K][L])")
    args = ap.parse_args()
    t0 = time.time()
    p = probabilities(args.folder, LANGS)
    e, peak = entropy(p)
    best, steps = autosweep(p, e, peak, args.r, args.b)
    for lam, a in steps: print(f"lambda={lam:.6f} appear={a}")
    masks, appear, tau = identify(p, e, peak, args.r, best, args.b)
    print(f"numpy: best lambda {best}, tau {tau!r}, appear {appear}, sizes {[sum(map(len, m)) for m in masks]} ({time.time() - t0:.1f} s)")
    failures = 0
    if args.lna:
        doc = json.load(open(args.lna))
        same = [doc["masks"][lang] == masks[k] for k, lang in enumerate(LANGS)]
        print(f"lna masks.json: lambda {doc['lambda']}, tau {doc['tau']!r}, appear {doc['appear']}; masks identical per language: {same}")
        failures += (not all(same)) + (doc["appear"] != appear) + (doc["lambda"] != best) + (doc["tau"] != tau)
    if args.shipped:
        shipped = [[t.tolist() for t in layers] for layers in load_pt(args.shipped)]
        same = [shipped[k] == masks[k] for k in range(len(LANGS))]
        print(f"shipped mask: identical per language: {same}")
        failures += not all(same)
    print("OK" if failures == 0 else f"MISMATCH ({failures})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
