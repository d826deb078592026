"""RoPE goldens for Tests/LNAModelsTests/RopeScalingTests.swift: transformers' own inverse frequencies and
attention factor for each rope_type lna implements, on a small head (head_dim 16, partial 0.5 where noted).

Run with the dev venv (transformers 5.x):  /work/venv/bin/python scripts/dev/rope_goldens.py
and paste the printed Swift literals into the test."""
import json
from transformers import LlamaConfig, Phi3Config
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS

CASES = {
    "linear": (LlamaConfig, dict(rope_parameters={"rope_type": "linear", "factor": 4.0, "rope_theta": 10000.0})),
    "llama3": (LlamaConfig, dict(max_position_embeddings=131072, rope_parameters={
        "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
        "original_max_position_embeddings": 64, "rope_theta": 500000.0})),
    "yarn": (LlamaConfig, dict(max_position_embeddings=4096, rope_parameters={
        "rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 1024, "rope_theta": 10000.0})),
    "yarn_mscale": (LlamaConfig, dict(max_position_embeddings=4096, rope_parameters={
        "rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 1024, "rope_theta": 10000.0,
        "beta_fast": 16.0, "beta_slow": 2.0, "mscale": 0.707, "mscale_all_dim": 1.0, "truncate": False})),
    "longrope": (Phi3Config, dict(max_position_embeddings=8192, original_max_position_embeddings=2048,
        rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0, "partial_rotary_factor": 0.5,
                         "short_factor": [1.0, 1.1, 1.3, 2.0], "long_factor": [2.0, 3.0, 4.0, 5.0]})),
}

for name, (cls, kwargs) in CASES.items():
    config = cls(hidden_size=64, num_attention_heads=4, head_dim=16, **kwargs)
    rope_type = config.rope_parameters["rope_type"]
    inv, factor = ROPE_INIT_FUNCTIONS[rope_type](config, "cpu")
    print(f'"{name}": ({json.dumps([float(x) for x in inv.tolist()])}, {float(factor)!r}),')
