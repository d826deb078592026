"""Checks lna's exported tokenizer.json files with Hugging Face's own `tokenizers` library against llama.cpp's goldens.

Usage (dev only, needs `pip install tokenizers`):
    LNA_MODELS_DIR=models LNA_TOKENIZER_EXPORT_DIR=/tmp/export swift test -c release --filter ExportedTokenizerJSONTests
    python3 scripts/dev/check_exported_tokenizer_with_hf.py /tmp/export ../shared/reference
"""
import json
import sys

from tokenizers import Tokenizer

MODELS = {"gemma3-270m": "gemma3-270m", "smollm2-135m": "smollm2-135m", "qwen2.5-0.5b": "qwen2.5-coder-0.5b"}

export_dir, reference_dir = sys.argv[1], sys.argv[2]
for model, key in MODELS.items():
    tokenizer = Tokenizer.from_file(f"{export_dir}/{model}.tokenizer.json")
    texts = []
    for name, field in (("tokenizer", "strings"), ("forward", "texts")):
        texts += json.load(open(f"{reference_dir}/{name}_{key}.json"))[field]
    for parse_special in (False, True):
        tokenizer.encode_special_tokens = not parse_special   # llama.cpp's parse_special=false
        bad = [t for t in texts if tokenizer.encode(t["text"]).ids != t["token_ids"]]
        decode_bad = [t for t in texts if tokenizer.decode(t["token_ids"], skip_special_tokens=True) != t["text"]]
        print(f"{model}: parse_special={parse_special}: {len(bad)} id mismatches, "
              f"{len(decode_bad)} decode mismatches of {len(texts)}")
        for t in bad[:3]:
            print("   ", repr(t["text"][:60]), tokenizer.encode(t["text"]).ids[:12], t["token_ids"][:12])
