#!/usr/bin/env python3
"""Cross-check `lna langid` against langid.py (Lui & Baldwin; `pip install langid`, its model ships in the wheel).

Both identifiers label the SIB-200 dev sentences of the ten paper languages, whole and cut to a short prefix
(two words, or six characters for zh/ja/th). langid.py is restricted to the same ten languages
(`langid.set_languages`), so both answer the same closed-set question.

Usage: python3 scripts/dev/langid_crosscheck.py [--lna .build/release/lna] [--sib ../shared/datasets/sib200]
       [--model model.json]   (default: lna's built-in-trained model)
Dev tool only: not run by the tests.
"""
import argparse, csv, json, os, subprocess, sys, tempfile

import langid

PAPER = {"en": "eng_Latn", "zh": "zho_Hans", "es": "spa_Latn", "fr": "fra_Latn", "de": "deu_Latn",
         "ja": "jpn_Jpan", "ru": "rus_Cyrl", "bn": "ben_Beng", "th": "tha_Thai", "sw": "swh_Latn"}


def dev_sentences(sib):
    out = {}
    for code, flores in PAPER.items():
        with open(os.path.join(sib, flores, "dev.tsv"), encoding="utf-8", newline="") as f:
            out[code] = [row[2] for row in list(csv.reader(f, delimiter="\t"))[1:]]
    return out


def prefix(code, text):
    return text[:6] if code in ("zh", "ja", "th") else " ".join(text.split()[:2])


def lna_labels(lna, model, texts):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(t.replace("\n", " ") for t in texts) + "\n")
        path = f.name
    command = [lna, "langid", "predict", "--json", "--file", path] + (["--model", model] if model else [])
    lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()
    os.unlink(path)
    return [json.loads(line)["language"] for line in lines]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lna", default=".build/release/lna")
    parser.add_argument("--sib", default="../shared/datasets/sib200")
    parser.add_argument("--model")
    args = parser.parse_args()
    langid.set_languages(list(PAPER))
    sentences = dev_sentences(args.sib)
    for name, cut in (("full sentences", lambda c, t: t), ("short prefixes", prefix)):
        truths, texts = [], []
        for code, lines in sentences.items():
            truths += [code] * len(lines)
            texts += [cut(code, t) for t in lines]
        ours = lna_labels(args.lna, args.model, texts)
        theirs = [langid.classify(t)[0] for t in texts]
        n = len(texts)
        acc_ours = sum(a == b for a, b in zip(ours, truths)) / n
        acc_theirs = sum(a == b for a, b in zip(theirs, truths)) / n
        agree = sum(a == b for a, b in zip(ours, theirs)) / n
        print(f"{name}: lna {acc_ours:.2%}  langid.py {acc_theirs:.2%}  agreement {agree:.2%}  (n={n})")


if __name__ == "__main__":
    sys.exit(main())
