#!/usr/bin/env python3
"""Summarises lna eval results (eval.json, or eval.checkpoint.json of an unfinished run) for docs/eval.md.

sib200-topic: per (row, column) accuracy with its bootstrap interval, and against the baseline on the same items the
paired change of accuracy and of the gold label's log-likelihood, each with a paired bootstrap 95 % interval
(1,000 resamples of the items).
translate: per (row, column) corpus chrF and chrF++ (intervals from eval.json), the output-language rate with a
bootstrap interval, and against the baseline the paired change of corpus chrF and of the rate.

Usage: /work/venv/bin/python scripts/dev/eval-summary.py [--json OUT] RUN/eval-topic-*/*/eval.json RUN/eval-translate/*/eval.json
"""
import json, sys
import numpy as np
from sacrebleu.metrics import CHRF

TOPICS = ["science/technology", "travel", "politics", "sports", "health", "entertainment", "geography"]
RESAMPLES = 1000
CHRF2, CHRF2PP = CHRF(), CHRF(word_order=2)


def interval(values_of, n, seed):
    """Percentile bootstrap 95 % interval of a statistic of resampled item indices."""
    rng = np.random.default_rng(seed)
    stats = [values_of(rng.integers(0, n, n)) for _ in range(RESAMPLES)]
    return [float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5))]


def chrf(metric, stats, idx):
    return metric._compute_f_score(list(np.asarray(stats)[idx].sum(axis=0)))


def gold_log_p(records, among_labels=False):
    """log p(gold label | prompt), or among the seven labels only (log-softmax over their log-likelihoods): the
    second does not move when an intervention makes every English label likelier at once."""
    out = []
    for r in records:
        ll = np.array(r["logLikelihoods"])
        g = ll[TOPICS.index(r["gold"])]
        out.append(g - np.logaddexp.reduce(ll) if among_labels else g)
    return np.array(out)


def load(path):
    d = json.load(open(path))
    cells = d["items"] if "items" in d else d["cells"]
    given = {}
    if "items" in d:   # eval.json: the cells' own summaries
        for row in d["cells"]:
            for c in row:
                given[(c["row"], c["column"])] = c
    return cells, given


def topic(path, cells, given, out):
    for key, recs in cells.items():
        row, col = key.split("→")
        base = cells.get(f"none→{col}", [])
        n = min(len(recs), len(base))
        if n == 0:
            continue
        acc = np.array([r["correct"] for r in recs[:n]], float)
        b_acc = np.array([r["correct"] for r in base[:n]], float)
        gold, b_gold = gold_log_p(recs[:n]), gold_log_p(base[:n])
        gold7, b_gold7 = gold_log_p(recs[:n], among_labels=True), gold_log_p(base[:n], among_labels=True)
        cell = given.get((row, col))
        entry = {"task": "sib200-topic", "row": row, "column": col, "n": n, "acc": float(acc.mean()),
                 "acc_interval": cell["interval"] if cell and cell["n"] == n else interval(lambda i: acc[i].mean(), n, 1),
                 "acc_norm": cell.get("accNorm") if cell else None}
        if row != "none":
            entry["delta_acc"] = float(acc.mean() - b_acc.mean())
            entry["delta_acc_interval"] = interval(lambda i: acc[i].mean() - b_acc[i].mean(), n, 2)
            entry["delta_log_p_gold"] = float((gold - b_gold).mean())
            entry["delta_log_p_gold_interval"] = interval(lambda i: (gold[i] - b_gold[i]).mean(), n, 3)
            entry["delta_log_p_gold_among_labels"] = float((gold7 - b_gold7).mean())
            entry["delta_log_p_gold_among_labels_interval"] = interval(lambda i: (gold7[i] - b_gold7[i]).mean(), n, 9)
        out.append(entry)


def translate(path, cells, given, out):
    for key, recs in cells.items():
        row, col = key.split("→")
        base = cells.get(f"none→{col}", [])
        n = min(len(recs), len(base))
        if n == 0:
            continue
        stats = [r["chrFStatistics"] for r in recs[:n]]
        stats_pp = [r["chrFPlusPlusStatistics"] for r in recs[:n]]
        match = np.array([bool(r.get("outputLanguageMatches")) for r in recs[:n]], float)
        b_stats = [r["chrFStatistics"] for r in base[:n]]
        b_match = np.array([bool(r.get("outputLanguageMatches")) for r in base[:n]], float)
        everything = np.arange(n)
        cell = given.get((row, col))
        entry = {"task": "translate", "row": row, "column": col, "n": n,
                 "chrF": chrf(CHRF2, stats, everything), "chrF_interval": cell["interval"] if cell and cell["n"] == n else interval(lambda i: chrf(CHRF2, stats, i), n, 4),
                 "chrF++": chrf(CHRF2PP, stats_pp, everything),
                 "chrF++_interval": cell["chrFPlusPlusInterval"] if cell and cell["n"] == n else interval(lambda i: chrf(CHRF2PP, stats_pp, i), n, 5),
                 "output_language_rate": float(match.mean()), "output_language_rate_interval": interval(lambda i: match[i].mean(), n, 6),
                 "hit_max_tokens": sum(r.get("stoppedBy") == "max-tokens" for r in recs[:n])}
        if cell:   # the Swift chrF and sacreBLEU's from the same statistics must agree
            assert abs(cell["value"] - entry["chrF"]) < 1e-6 or cell["n"] != n, (cell["value"], entry["chrF"])
        if row != "none":
            entry["delta_chrF"] = entry["chrF"] - chrf(CHRF2, b_stats, everything)
            entry["delta_chrF_interval"] = interval(lambda i: chrf(CHRF2, stats, i) - chrf(CHRF2, b_stats, i), n, 7)
            entry["delta_output_language_rate"] = float(match.mean() - b_match.mean())
            entry["delta_output_language_rate_interval"] = interval(lambda i: match[i].mean() - b_match[i].mean(), n, 8)
        out.append(entry)


def main(argv):
    json_out = None
    if argv[:1] == ["--json"]:
        json_out, argv = argv[1], argv[2:]
    out = []
    for path in argv:
        cells, given = load(path)
        first = next(iter(cells.values()))[0]
        (translate if "chrFStatistics" in first else topic)(path, cells, given, out)
    fmt = lambda v, i: f"{100 * v:.1f} [{100 * i[0]:.1f}, {100 * i[1]:.1f}]"
    for e in out:
        if e["task"] == "sib200-topic":
            line = f"{e['row']:24s} {e['column']}: n {e['n']}, acc {fmt(e['acc'], e['acc_interval'])}"
            if "delta_acc" in e:
                line += (f", Δacc {fmt(e['delta_acc'], e['delta_acc_interval'])} pts,"
                         f" Δlog p(gold) {e['delta_log_p_gold']:+.3f} [{e['delta_log_p_gold_interval'][0]:+.3f}, {e['delta_log_p_gold_interval'][1]:+.3f}],"
                         f" among labels {e['delta_log_p_gold_among_labels']:+.3f} [{e['delta_log_p_gold_among_labels_interval'][0]:+.3f}, {e['delta_log_p_gold_among_labels_interval'][1]:+.3f}]")
        else:
            line = (f"{e['row']:24s} {e['column']}: n {e['n']}, chrF {e['chrF']:.1f} [{e['chrF_interval'][0]:.1f}, {e['chrF_interval'][1]:.1f}],"
                    f" chrF++ {e['chrF++']:.1f} [{e['chrF++_interval'][0]:.1f}, {e['chrF++_interval'][1]:.1f}],"
                    f" lang rate {fmt(e['output_language_rate'], e['output_language_rate_interval'])}, {e['hit_max_tokens']} cut at --max-tokens")
            if "delta_chrF" in e:
                line += (f", ΔchrF {e['delta_chrF']:+.1f} [{e['delta_chrF_interval'][0]:+.1f}, {e['delta_chrF_interval'][1]:+.1f}],"
                         f" Δrate {fmt(e['delta_output_language_rate'], e['delta_output_language_rate_interval'])} pts")
        print(line)
    if json_out:
        with open(json_out, "w") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
