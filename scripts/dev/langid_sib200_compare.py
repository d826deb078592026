#!/usr/bin/env python3
"""lna's built-in language identifier against py3langid and pycld2 on SIB-200 (all 205 languages).

Every identifier labels the sentences of one split (default: test) of ../shared/datasets/sib200-full. py3langid and
pycld2 are scored on the SIB-200 languages they support, through the mapping below (SIB-200 code -> their code), in
their label space: a prediction outside the mapped codes is wrong. lna is scored on the same sentences in the same
label space twice: the full 205-language model (any other answer is wrong), and restricted to the mapped languages
(`lna langid predict --among`), which is the question the other tools answer. py3langid is also run restricted to
the mapped codes (`set_languages`); pycld2 cannot be restricted.

The mapping: a SIB-200 language maps to the tool's code for that language, or for the macrolanguage it is the
standard form of (pes/prs -> fa, zsm -> ms, npi -> ne, arb -> ar ...). Arabic varieties the tool does not name
(acm, acq, aeb, ajp, apc, ars) and Cantonese for pycld2 are left out, as are romanised Arabic and Arabic-script
Acehnese/Banjar/Minangkabau/Kanuri.

Writes the figures as a fixture (Tests/LNALangIDTests/Fixtures/langid-sib200-comparison.json) that
LanguageIdentifierSIB200Tests checks lna against, and prints a Markdown table for docs/langid.md.

Usage: /work/venv/bin/python scripts/dev/langid_sib200_compare.py [--lna .build/release/lna]
       [--sib ../shared/datasets/sib200-full] [--split test] [--out Tests/LNALangIDTests/Fixtures/...]
Dev tool only: not run by the tests.
"""
import argparse, csv, importlib.metadata, json, os, subprocess, tempfile

import py3langid
import pycld2

# SIB-200 code -> ISO 639-1 (or the code the tools use), for the languages with one.
ISO1 = {
    "afr_Latn": "af", "als_Latn": "sq", "amh_Ethi": "am", "arb_Arab": "ar", "ary_Arab": "ary", "arz_Arab": "arz",
    "asm_Beng": "as", "azj_Latn": "az", "bak_Cyrl": "ba", "bel_Cyrl": "be", "ben_Beng": "bn", "bod_Tibt": "bo",
    "bos_Latn": "bs", "bul_Cyrl": "bg", "cat_Latn": "ca", "ceb_Latn": "ceb", "ces_Latn": "cs", "cym_Latn": "cy",
    "dan_Latn": "da", "deu_Latn": "de", "dzo_Tibt": "dz", "ell_Grek": "el", "eng_Latn": "en", "epo_Latn": "eo",
    "est_Latn": "et", "eus_Latn": "eu", "ewe_Latn": "ee", "fao_Latn": "fo", "fij_Latn": "fj", "fin_Latn": "fi",
    "fra_Latn": "fr", "gaz_Latn": "om", "gla_Latn": "gd", "gle_Latn": "ga", "glg_Latn": "gl", "grn_Latn": "gn",
    "guj_Gujr": "gu", "hat_Latn": "ht", "hau_Latn": "ha", "heb_Hebr": "he", "hin_Deva": "hi", "hrv_Latn": "hr",
    "hun_Latn": "hu", "hye_Armn": "hy", "ibo_Latn": "ig", "ind_Latn": "id", "isl_Latn": "is", "ita_Latn": "it",
    "jav_Latn": "jv", "jpn_Jpan": "ja", "kan_Knda": "kn", "kas_Arab": "ks", "kat_Geor": "ka", "kaz_Cyrl": "kk",
    "khk_Cyrl": "mn", "khm_Khmr": "km", "kik_Latn": "ki", "kin_Latn": "rw", "kir_Cyrl": "ky", "kmr_Latn": "ku",
    "kor_Hang": "ko", "lao_Laoo": "lo", "lin_Latn": "ln", "lit_Latn": "lt", "ltz_Latn": "lb", "lug_Latn": "lg",
    "lua_Latn": "lua", "luo_Latn": "luo", "lvs_Latn": "lv", "mal_Mlym": "ml", "mar_Deva": "mr", "mkd_Cyrl": "mk",
    "mlt_Latn": "mt", "mri_Latn": "mi", "mya_Mymr": "my", "nld_Latn": "nl", "nno_Latn": "nn", "nob_Latn": "no",
    "npi_Deva": "ne", "nso_Latn": "nso", "nya_Latn": "ny", "oci_Latn": "oc", "ory_Orya": "or", "pan_Guru": "pa",
    "pbt_Arab": "ps", "pes_Arab": "fa", "prs_Arab": "fa", "plt_Latn": "mg", "pol_Latn": "pl", "por_Latn": "pt",
    "quy_Latn": "qu", "ron_Latn": "ro", "run_Latn": "rn", "rus_Cyrl": "ru", "sag_Latn": "sg", "san_Deva": "sa",
    "sin_Sinh": "si", "slk_Latn": "sk", "slv_Latn": "sl", "smo_Latn": "sm", "sna_Latn": "sn", "snd_Arab": "sd",
    "som_Latn": "so", "sot_Latn": "st", "spa_Latn": "es", "srp_Cyrl": "sr", "ssw_Latn": "ss", "sun_Latn": "su",
    "swe_Latn": "sv", "swh_Latn": "sw", "tam_Taml": "ta", "tat_Cyrl": "tt", "tel_Telu": "te", "tgk_Cyrl": "tg",
    "tgl_Latn": "tl", "tha_Thai": "th", "tir_Ethi": "ti", "tsn_Latn": "tn", "tso_Latn": "ts", "tuk_Latn": "tk",
    "tum_Latn": "tum", "tur_Latn": "tr", "twi_Latn": "tw", "uig_Arab": "ug", "ukr_Cyrl": "uk", "urd_Arab": "ur",
    "uzn_Latn": "uz", "vie_Latn": "vi", "war_Latn": "war", "wol_Latn": "wo", "xho_Latn": "xh", "ydd_Hebr": "yi",
    "yor_Latn": "yo", "zho_Hans": "zh", "zho_Hant": "zh", "zsm_Latn": "ms", "zul_Latn": "zu",
    # Codes only some tools have (ISO 639-3 where there is no 639-1 code).
    "ace_Latn": "ace", "crh_Latn": "crh", "fuv_Latn": "fuv", "kab_Latn": "kab", "lij_Latn": "lij",
    "ltg_Latn": "ltg", "vec_Latn": "vec", "yue_Hant": "yue", "aka_Latn": "ak", "bam_Latn": "bm", "ayr_Latn": "ay",
}


def tool_mapping(codes, rename=None):
    """The SIB-200 languages a tool supports: SIB code -> the tool's code."""
    rename = rename or {}
    mapping = {}
    for sib, code in ISO1.items():
        code = rename.get(sib, code)
        if code in codes:
            mapping[sib] = code
    return mapping


def py3langid_codes():
    py3langid.classify("x")
    return set(py3langid.langid.IDENTIFIER.nb_classes) - {"zxx"}


def pycld2_codes():
    return {code for _, code in pycld2.LANGUAGES if not code.startswith("xx") and code not in ("un", "xxx")}


def cld2_label(text):
    try:
        _, _, details = pycld2.detect(text)
    except pycld2.error:
        return "un"
    return details[0][1]


def sentences(sib, split):
    out = {}
    for code in sorted(os.listdir(sib)):
        path = os.path.join(sib, code, f"{split}.tsv")
        if os.path.exists(path):
            with open(path, encoding="utf-8", newline="") as f:
                out[code] = [row[2] for row in list(csv.reader(f, delimiter="\t"))[1:]]
    return out


def lna_labels(lna, texts, among=None):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(t.replace("\n", " ") for t in texts) + "\n")
        path = f.name
    command = [lna, "langid", "predict", "--json", "--file", path] + (["--among", ",".join(among)] if among else [])
    lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()
    os.unlink(path)
    assert len(lines) == len(texts), (len(lines), len(texts))
    # lna's codes are ISO 639-1 where its table has one: compare FLORES-200 codes (the SIB-200 folder names).
    return [json.loads(line).get("flores", "unknown") for line in lines]


def scores(truths, predictions):
    """Accuracy and macro-F1 over the truth labels (predictions outside them count as misses)."""
    n = len(truths)
    accuracy = sum(t == p for t, p in zip(truths, predictions)) / n
    f1s = []
    for label in sorted(set(truths)):
        tp = sum(t == label and p == label for t, p in zip(truths, predictions))
        predicted = sum(p == label for p in predictions)
        actual = sum(t == label for t in truths)
        f1s.append(2 * tp / (predicted + actual) if predicted + actual else 0.0)
    return {"accuracy": round(accuracy, 6), "macroF1": round(sum(f1s) / len(f1s), 6)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lna", default=".build/release/lna")
    parser.add_argument("--sib", default=os.path.join(os.environ.get("LNA_SHARED_DIR", "../shared"), "datasets/sib200-full"))
    parser.add_argument("--split", default="test")
    parser.add_argument("--out", default="Tests/LNALangIDTests/Fixtures/langid-sib200-comparison.json")
    args = parser.parse_args()
    data = sentences(args.sib, args.split)
    codes = sorted(data)
    texts = [t for c in codes for t in data[c]]
    truth = [c for c in codes for _ in data[c]]
    lna_full = lna_labels(args.lna, texts)
    overall = scores(truth, lna_full)
    tools = []
    for name, supported, rename, run in (
            ("py3langid", py3langid_codes(), {}, lambda ts, among: [py3langid.classify(t)[0] for t in ts]),
            ("pycld2", pycld2_codes(), {"heb_Hebr": "iw", "jav_Latn": "jw", "zho_Hant": "zh-Hant"},
             lambda ts, among: [cld2_label(t) for t in ts])):
        mapping = tool_mapping(supported, rename)
        chosen = [i for i, c in enumerate(truth) if c in mapping]
        sub_texts = [texts[i] for i in chosen]
        sub_truth = [mapping[truth[i]] for i in chosen]
        theirs = scores(sub_truth, run(sub_texts, None))
        entry = {"tool": name, "version": importlib.metadata.version(name), "mapping": mapping,
                 "languages": len(mapping), "labels": len(set(mapping.values())), "sentences": len(chosen),
                 "tool_figures": theirs}
        if name == "py3langid":
            py3langid.set_languages(sorted(set(mapping.values())))
            entry["tool_restricted_figures"] = scores(sub_truth, [py3langid.classify(t)[0] for t in sub_texts])
        entry["lna_full_figures"] = scores(sub_truth, [mapping.get(lna_full[i], "other") for i in chosen])
        restricted = lna_labels(args.lna, sub_texts, among=sorted(mapping))
        entry["lna_restricted_figures"] = scores(sub_truth, [mapping.get(l, "other") for l in restricted])
        tools.append(entry)
    result = {"dataset": "sib200-full", "split": args.split, "languages": len(codes), "sentences": len(texts),
              "lna": overall, "tools": tools}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"| identifier | languages | sentences | accuracy | macro-F1 |")
    print(f"|---|---|---|---|---|")
    print(f"| lna (built-in) | {len(codes)} | {len(texts)} | {overall['accuracy']:.2%} | {overall['macroF1']:.4f} |")
    for t in tools:
        rows = [(t["tool"], t["tool_figures"])]
        if "tool_restricted_figures" in t:
            rows.append((t["tool"] + ", restricted to the set", t["tool_restricted_figures"]))
        rows += [("lna, full model", t["lna_full_figures"]), ("lna, restricted to the set", t["lna_restricted_figures"])]
        for label, fig in rows:
            print(f"| {label} | {t['languages']} ({t['labels']} labels) | {t['sentences']} | {fig['accuracy']:.2%} | {fig['macroF1']:.4f} |")


if __name__ == "__main__":
    main()
