#!/usr/bin/env python3
"""Summarises sib200-topic grids (eval.json, or eval.checkpoint.json of an unfinished grid) for docs/eval.md:
accuracy per cell, and the paired change of the gold label's log-likelihood against the baseline (the same items
under each row), own column against the others.
Usage: python3 scripts/dev/eval-summary.py RUN/eval-topic-specific/eval.json [more files]"""
import json, sys

TOPICS = ["science/technology", "travel", "politics", "sports", "health", "entertainment", "geography"]

for path in sys.argv[1:]:
    d = json.load(open(path))
    cells = d["items"] if "items" in d else d["cells"]
    keys = [k.split("→") for k in cells]
    rows = list(dict.fromkeys(r for r, _ in keys))
    cols = list(dict.fromkeys(c for _, c in keys))
    def acc(r, c):
        recs = cells.get(f"{r}→{c}", [])
        return 100 * sum(x["correct"] for x in recs) / len(recs) if recs else float("nan")
    def gold(r, c):
        return [x["logLikelihoods"][TOPICS.index(x["gold"])] for x in cells.get(f"{r}→{c}", [])]
    n = len(cells["none→" + cols[0]])
    print(f"== {path}: n = {n} items per cell, {len(cells)} cells")
    print("baseline accuracy (%): " + "  ".join(f"{c} {acc('none', c):.0f}" for c in cols))
    own_deltas, other_deltas, own_largest, complete = [], [], 0, 0
    for row in rows:
        if row == "none":
            continue
        lang = row.split(" ")[0]
        deltas = []
        for c in cols:
            b, x = gold("none", c), gold(row, c)
            m = min(len(b), len(x))
            deltas.append(sum(x[i] - b[i] for i in range(m)) / m if m else float("nan"))
        if any(d != d for d in deltas):
            continue
        complete += 1
        j_own = cols.index(lang)
        own_deltas.append(deltas[j_own]); other_deltas += [v for j, v in enumerate(deltas) if j != j_own]
        largest = min(range(len(cols)), key=lambda j: deltas[j])
        own_largest += largest == j_own
        print(f"{row:24s} Δ log p(gold): " + " ".join(f"{v:+.3f}" for v in deltas)
              + f" | largest drop on {cols[largest]} | Δacc own {acc(row, lang) - acc('none', lang):+.0f} pts,"
              + f" others {sum(acc(row, c) - acc('none', c) for c in cols if c != lang) / (len(cols) - 1):+.1f}")
    if complete:
        print(f"rows whose largest drop of log p(gold) is on their own column: {own_largest}/{complete}")
        print(f"mean Δ log p(gold): own column {sum(own_deltas) / len(own_deltas):+.4f}, other columns {sum(other_deltas) / len(other_deltas):+.4f}")
