#!/usr/bin/env python3
"""Scores SIB-200 sentence pairs in many scripts with sacreBLEU's CHRF (chrF and chrF++, sentence and corpus level,
with and without eps smoothing) and writes the fixture Tests/LNAEvalTests/Fixtures/chrf-sacrebleu.json.
Hypotheses are deterministic perturbations of the reference (word drops, swaps, truncation, punctuation and
whitespace edits, another sentence, empty). Run once: /work/venv/bin/python scripts/dev/chrf-fixture.py"""
import csv, json, random, sys
from pathlib import Path
import sacrebleu
from sacrebleu.metrics import CHRF

root = Path("/work/shared/datasets/sib200-full")
languages = ["eng_Latn", "deu_Latn", "vie_Latn", "zho_Hans", "jpn_Jpan", "kor_Hang", "tha_Thai", "rus_Cyrl",
             "arb_Arab", "heb_Hebr", "hin_Deva", "ben_Beng", "amh_Ethi", "ell_Grek", "tam_Taml", "mya_Mymr"]
rng = random.Random(20261206)

def sentences(lang, n):
    with open(root / lang / "dev.tsv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r["text"] for r in rows[:n]]

def perturb(ref, other, kind):
    words = ref.split()
    if kind == "same": return ref
    if kind == "drop": return " ".join(w for w in words if rng.random() > 0.3)
    if kind == "swap":
        w = words[:]
        for _ in range(max(1, len(w) // 3)):
            i, j = rng.randrange(len(w)), rng.randrange(len(w)); w[i], w[j] = w[j], w[i]
        return " ".join(w)
    if kind == "truncate": return ref[: max(1, len(ref) * 2 // 3)]
    if kind == "chars":  # delete and duplicate characters (scripts without spaces get character edits)
        cs = list(ref)
        for _ in range(max(1, len(cs) // 8)):
            i = rng.randrange(len(cs))
            if rng.random() < 0.5: del cs[i]
            else: cs.insert(i, cs[i])
            if not cs: break
        return "".join(cs)
    if kind == "punct": return "(" + ref.replace(",", " ,").rstrip(".") + " !) \u201c" + (words[0] if words else "") + ".\u201d"
    if kind == "spaces": return "  " + "\t".join(words) + "\u3000\u00a0 \x1c" + "\u2003"
    if kind == "other": return other
    if kind == "empty": return ""
    raise ValueError(kind)

kinds = ["same", "drop", "swap", "truncate", "chars", "punct", "spaces", "other", "empty"]
chrf, chrfpp = CHRF(), CHRF(word_order=2)
chrf_eps, chrfpp_eps = CHRF(eps_smoothing=True), CHRF(word_order=2, eps_smoothing=True)
pairs, corpora = [], []
for lang in languages:
    s = sentences(lang, 4)
    start = len(pairs)
    for i, ref in enumerate(s[:3]):
        for kind in kinds:
            hyp = perturb(ref, s[(i + 1) % len(s)], kind)
            refs = [ref]
            pairs.append({"language": lang, "kind": kind, "hypothesis": hyp, "references": refs,
                          "chrf": chrf.sentence_score(hyp, refs).score, "chrfpp": chrfpp.sentence_score(hyp, refs).score,
                          "chrf_eps": chrf_eps.sentence_score(hyp, refs).score,
                          "chrfpp_eps": chrfpp_eps.sentence_score(hyp, refs).score})
    # Two references: the better one (by sentence f-score) counts.
    hyp = perturb(s[0], s[1], "drop")
    refs = [s[3], s[0]]
    pairs.append({"language": lang, "kind": "two-references", "hypothesis": hyp, "references": refs,
                  "chrf": chrf.sentence_score(hyp, refs).score, "chrfpp": chrfpp.sentence_score(hyp, refs).score,
                  "chrf_eps": chrf_eps.sentence_score(hyp, refs).score, "chrfpp_eps": chrfpp_eps.sentence_score(hyp, refs).score})
    members = [p for p in pairs[start:] if len(p["references"]) == 1]
    hyps = [p["hypothesis"] for p in members]
    refs = [[p["references"][0] for p in members]]
    corpora.append({"language": lang, "pairs": [start + k for k, p in enumerate(pairs[start:]) if len(p["references"]) == 1],
                    "chrf": chrf.corpus_score(hyps, refs).score, "chrfpp": chrfpp.corpus_score(hyps, refs).score,
                    "chrf_eps": chrf_eps.corpus_score(hyps, refs).score, "chrfpp_eps": chrfpp_eps.corpus_score(hyps, refs).score})
out = Path(__file__).resolve().parents[2] / "Tests/LNAEvalTests/Fixtures/chrf-sacrebleu.json"
out.write_text(json.dumps({"sacrebleu": sacrebleu.__version__, "source": "SIB-200 dev sentences (CC BY-SA 4.0)",
                           "pairs": pairs, "corpora": corpora}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(out, len(pairs), "pairs", len(corpora), "corpora")
