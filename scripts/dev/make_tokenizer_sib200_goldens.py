"""Builds the Hugging Face tokenizer.json fixtures and the SIB-200 (all 205 languages) golden ids that
`HuggingFaceSIB200Tests` compares LNATokenizers with.

Usage (dev only; the venv outside the repo has tokenizers, transformers, sentencepiece, protobuf):
    # 1. the three GGUF tokenizers as lna exports them (written by the Swift test when asked to):
    LNA_MODELS_DIR=/work/models LNA_TOKENIZER_EXPORT_DIR=/tmp/lna-export \
        swift test -c release --filter GoldenTokenizerTests
    # 2. train the HF-native fixtures and write the goldens:
    /work/venv/bin/python scripts/dev/make_tokenizer_sib200_goldens.py \
        --sib200 ../shared/datasets/sib200-full --export-dir /tmp/lna-export [--train [NAME ...]]

Fixtures (Tests/LNATokenizersTests/Fixtures/huggingface/<name>.tokenizer.json), trained on SIB-200 *train*
sentences (a sample of every language), so the goldens on the *dev* split are not training text:
  * xglm-unigram: SentencePiece Unigram (nmt_nfkc normalisation → a real Precompiled charsmap), converted by
    transformers' XGLMConverter (Precompiled, Strip, Replace(Regex), Metaspace split, TemplateProcessing).
  * spm-unigram-byte-fallback: SentencePiece Unigram with byte_fallback and nmt_nfkc_cf (case folding charsmap),
    converted by transformers' SpmConverter.build_tokenizer_from_spm_proto (legacy: Replace regexes, Metaspace always).
  * spm-bpe-byte-fallback: SentencePiece BPE with byte_fallback and identity normalisation (Llama 2 style),
    converted by build_tokenizer_from_spm_proto (merges from scores, Metaspace first).
  * bytelevel-bpe: `tokenizers` BpeTrainer, NFKC + ByteLevel(add_prefix_space) (GPT-2 regex).
  * wordlevel-bpe-unk: `tokenizers` BpeTrainer with a small alphabet and [UNK]: NFKD, StripAccents, Lowercase, Strip,
    NFC (recomposes e.g. Hangul jamo), WhitespaceSplit, Punctuation, Digits.
  * hf-unigram: `tokenizers` UnigramTrainer: NFD + Replace + Metaspace(split), Split(String), unk.
  * llama3-bytelevel-bpe: the bytelevel-bpe vocabulary and merges behind Llama 3's pipeline (no normalizer,
    Split(Llama 3 regex, Isolated) + ByteLevel(use_regex false), ignore_merges) — derived, not trained.
The GGUF exports (gemma3-270m: SentencePiece BPE with byte fallback; smollm2-135m: Digits+ByteLevel;
qwen2.5-0.5b: Split(Qwen2 regex)+ByteLevel) are not committed: the Swift test exports them again from the GGUFs.

Golden (Tests/LNATokenizersTests/Fixtures/huggingface/sib200-goldens.json): per tokenizer and language the number
of sentences and tokens, the SHA-256 of the id lines ("id id id\n" per sentence), the ids of the first sentence and
the token count of every sentence (so a failing test can name the first differing sentence), and the SHA-256 of
`decode(ids, skip_special_tokens=True)` of every sentence ("text\n" lines).
Ids are `Tokenizer.encode(text, add_special_tokens=True)` with `encode_special_tokens = True` (special-token text
is not parsed, like lna).
"""
import argparse
import csv
import hashlib
import json
import os
import random
import sys
import tempfile
import types

csv.field_size_limit(sys.maxsize)

FIXTURES = "Tests/LNATokenizersTests/Fixtures/huggingface"
HF_NATIVE = ["xglm-unigram", "spm-unigram-byte-fallback", "spm-bpe-byte-fallback", "bytelevel-bpe",
             "wordlevel-bpe-unk", "hf-unigram", "llama3-bytelevel-bpe"]
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")
EXPORTED = ["gemma3-270m", "smollm2-135m", "qwen2.5-0.5b"]
SPLIT = "dev"


def sentences(sib, language, split):
    with open(os.path.join(sib, language, f"{split}.tsv"), newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    header = rows[0]
    assert header[-3:] == ["index_id", "category", "text"], header
    return [row[-1] for row in rows[1:]]


def languages(sib):
    return sorted(name for name in os.listdir(sib) if os.path.isfile(os.path.join(sib, name, "dev.tsv")))


def training_text(sib, per_language=40, seed=7):
    rng = random.Random(seed)
    text = []
    for language in languages(sib):
        rows = sentences(sib, language, "train")
        text += rng.sample(rows, min(per_language, len(rows)))
    rng.shuffle(text)
    return text


def train_sentencepiece(text, workdir, name, **options):
    import sentencepiece as spm
    corpus = os.path.join(workdir, f"{name}.txt")
    with open(corpus, "w", encoding="utf-8") as handle:
        handle.write("\n".join(text) + "\n")
    prefix = os.path.join(workdir, name)
    spm.SentencePieceTrainer.train(input=corpus, model_prefix=prefix, num_threads=2, minloglevel=2, **options)
    from sentencepiece import sentencepiece_model_pb2 as pb
    proto = pb.ModelProto()
    with open(prefix + ".model", "rb") as handle:
        proto.ParseFromString(handle.read())
    return prefix + ".model", proto


def build_xglm_unigram(text, workdir):
    from transformers.convert_slow_tokenizer import XGLMConverter
    model_file, _ = train_sentencepiece(text, workdir, "xglm", model_type="unigram", vocab_size=6000,
                                        character_coverage=0.9995, normalization_rule_name="nmt_nfkc")
    original = types.SimpleNamespace(vocab_file=model_file, add_prefix_space=True, legacy=True,
                                     convert_tokens_to_ids=lambda token: {"<s>": 0, "</s>": 2}[token])
    return XGLMConverter(original).converted()


def build_spm_from_proto(text, workdir, name, vocab_as_dict, legacy, **options):
    from transformers.convert_slow_tokenizer import SpmConverter
    _, proto = train_sentencepiece(text, workdir, name, **options)
    if vocab_as_dict:
        vocab = {piece.piece: index for index, piece in enumerate(proto.pieces)}
    else:
        vocab = [(piece.piece, piece.score) for piece in proto.pieces]
    return SpmConverter.build_tokenizer_from_spm_proto(proto, vocab, legacy=legacy)


def build_bytelevel_bpe(text):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    tokenizer = Tokenizer(models.BPE())
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=5000, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(text, trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="$A <|endoftext|>", special_tokens=[("<|endoftext|>", tokenizer.token_to_id("<|endoftext|>"))])
    return tokenizer


def build_wordlevel_bpe(text):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKD(), normalizers.StripAccents(), normalizers.Lowercase(),
                                                 normalizers.Strip(), normalizers.NFC()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation(behavior="isolated"),
        pre_tokenizers.Digits(individual_digits=True)])
    tokenizer.decoder = decoders.BPEDecoder()
    trainer = trainers.BpeTrainer(vocab_size=3000, limit_alphabet=400, special_tokens=["[UNK]", "[CLS]"],
                                  show_progress=False)
    tokenizer.train_from_iterator(text, trainer)
    return tokenizer


def build_hf_unigram(text):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Replace("``", '"'),
                                                 normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split("-", behavior="merged_with_previous"),
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)])
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=4000, special_tokens=["<unk>", "<s>"], unk_token="<unk>",
                                      max_piece_length=12, show_progress=False)
    tokenizer.train_from_iterator(text, trainer)
    return tokenizer


def train_fixtures(sib, out_dir, names):
    text = training_text(sib)
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        builders = {
            "xglm-unigram": lambda: build_xglm_unigram(text, workdir),
            "spm-unigram-byte-fallback": lambda: build_spm_from_proto(
                text, workdir, "unigram_bf", vocab_as_dict=False, legacy=True, model_type="unigram",
                vocab_size=3000, character_coverage=0.995, byte_fallback=True,
                normalization_rule_name="nmt_nfkc_cf"),
            "spm-bpe-byte-fallback": lambda: build_spm_from_proto(
                text, workdir, "bpe_bf", vocab_as_dict=True, legacy=False, model_type="bpe", vocab_size=3000,
                character_coverage=0.995, byte_fallback=True, normalization_rule_name="identity",
                remove_extra_whitespaces=False, split_digits=True),
            "bytelevel-bpe": lambda: build_bytelevel_bpe(text),
            "wordlevel-bpe-unk": lambda: build_wordlevel_bpe(text),
            "hf-unigram": lambda: build_hf_unigram(text),
        }
        built = {name: builders[name]() for name in names}
    for name, tokenizer in built.items():
        tokenizer.save(os.path.join(out_dir, f"{name}.tokenizer.json"), pretty=False)
        print(f"wrote {name}: {os.path.getsize(os.path.join(out_dir, name + '.tokenizer.json'))} bytes")
    derive_llama3(out_dir)


def derive_llama3(out_dir):
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers
    tokenizer = Tokenizer.from_file(os.path.join(out_dir, "bytelevel-bpe.tokenizer.json"))
    tokenizer.normalizer = normalizers.Sequence([])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    document = json.loads(tokenizer.to_str())
    document["normalizer"] = None
    document["model"]["ignore_merges"] = True
    with open(os.path.join(out_dir, "llama3-bytelevel-bpe.tokenizer.json"), "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, separators=(",", ":"))


def golden(tokenizer, sib):
    from tokenizers import Tokenizer
    tokenizer.encode_special_tokens = True
    result = {}
    for language in languages(sib):
        texts = sentences(sib, language, SPLIT)
        ids = [encoding.ids for encoding in tokenizer.encode_batch(texts, add_special_tokens=True)]
        lines = "".join(" ".join(map(str, row)) + "\n" for row in ids)
        decoded = "".join(text + "\n" for text in tokenizer.decode_batch(ids, skip_special_tokens=True))
        result[language] = {"sentences": len(texts), "tokens": sum(map(len, ids)),
                            "sha256": hashlib.sha256(lines.encode()).hexdigest(), "first": ids[0],
                            "counts": [len(row) for row in ids],
                            "decoded_sha256": hashlib.sha256(decoded.encode()).hexdigest()}
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sib200", default="../shared/datasets/sib200-full")
    parser.add_argument("--export-dir", required=True)
    parser.add_argument("--train", nargs="*", metavar="NAME",
                        help="(re)train these fixtures first (no names: all of them)")
    args = parser.parse_args()
    from tokenizers import Tokenizer
    if args.train is not None:
        train_fixtures(args.sib200, FIXTURES, args.train or HF_NATIVE[:6])
    goldens = {"split": SPLIT, "languages": len(languages(args.sib200)), "tokenizers": {}}
    for name in HF_NATIVE:
        goldens["tokenizers"][name] = golden(Tokenizer.from_file(f"{FIXTURES}/{name}.tokenizer.json"), args.sib200)
        print(name, sum(v["tokens"] for v in goldens["tokenizers"][name].values()), "tokens")
    for name in EXPORTED:
        goldens["tokenizers"][name] = golden(Tokenizer.from_file(f"{args.export_dir}/{name}.tokenizer.json"),
                                             args.sib200)
        print(name, sum(v["tokens"] for v in goldens["tokenizers"][name].values()), "tokens")
    with open(f"{FIXTURES}/sib200-goldens.json", "w") as handle:
        json.dump(goldens, handle, separators=(",", ":"), sort_keys=True)


if __name__ == "__main__":
    main()
