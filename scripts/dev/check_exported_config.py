"""Checks that transformers reads a config.json written by `lna convert` as lna does.

    lna convert MODEL --to DIR --dtype bf16
    /work/venv/bin/python scripts/dev/check_exported_config.py DIR [DIR ...]

For each DIR, compares transformers' effective configuration (AutoConfig, transformers 5) with
`lna inspect DIR --json`: sizes, head dim, norm epsilon, activation, tied output, per-layer attention kind,
window, RoPE θ and type per layer type, query scale. Prints one line per directory; exits 1 on a difference."""
import json, math, subprocess, sys
from transformers import AutoConfig

LNA = "./.build/release/lna"
failed = False
for d in sys.argv[1:]:
    t = AutoConfig.from_pretrained(d)
    c = json.loads(subprocess.run([LNA, "inspect", d, "--json"], capture_output=True, text=True, check=True).stdout)["config"]
    rope = t.rope_parameters
    full = rope.get("full_attention", rope)
    sliding = rope.get("sliding_attention", rope)
    layer_types = getattr(t, "layer_types", None) or ["full_attention" if getattr(t, "sliding_window", None) is None else "sliding_attention"] * t.num_hidden_layers
    act = getattr(t, "hidden_activation", None) or t.hidden_act
    scale = getattr(t, "query_pre_attn_scalar", None) or t.head_dim
    checks = {
        "hidden": (t.hidden_size, c["hiddenSize"]), "layers": (t.num_hidden_layers, c["layerCount"]),
        "intermediate": (t.intermediate_size, c["intermediateSize"]), "heads": (t.num_attention_heads, c["headCount"]),
        "kv heads": (t.num_key_value_heads, c["kvHeadCount"]), "head dim": (t.head_dim, c["headDim"]),
        "vocab": (t.vocab_size, c["vocabularySize"]), "eps": (float(t.rms_norm_eps), round(c["rmsNormEpsilon"], 12)),
        "activation": ({"silu": "silu", "gelu_pytorch_tanh": "gelu_tanh", "gelu": "gelu"}[act], c["activation"]),
        "tied": (t.tie_word_embeddings, c["tiedEmbeddings"]),
        "sliding layers": ([x == "sliding_attention" for x in layer_types], c["slidingWindowLayers"]),
        "window": (getattr(t, "sliding_window", None) if "sliding_attention" in layer_types else None, c.get("slidingWindow")),
        "theta": (full["rope_theta"], c["ropeBase"]),
        "local theta": (sliding["rope_theta"] if "sliding_attention" in rope else None, c.get("localRopeBase")),
        "rope type": (full["rope_type"], (c.get("ropeScaling") or {}).get("kind", "default")),
        "query scale": (round(1 / math.sqrt(scale), 6), round(c["attentionScale"], 6)),
    }
    bad = {k: v for k, v in checks.items() if v[0] != v[1]}
    failed |= bool(bad)
    print(d, "OK" if not bad else f"DIFFERS {bad}")
sys.exit(1 if failed else 0)
