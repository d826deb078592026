#!/usr/bin/env python3
"""Builds the Hugging Face transformers oracle fixtures under Tests/Fixtures/transformers/.

For every family: a tiny random model built by transformers (seeded, float32) with non-default settings, saved
with `save_pretrained` (config.json in the transformers 5 dialect), a rewritten `config.v4.json` in the pre-v5
dialect (verified by reloading it with transformers: identical logits), and goldens.json (token ids, per-token
NLL, neuron counts, greedy continuation, hook tensors). One shared byte-level BPE tokenizer trained on SIB-200.
See Tests/Fixtures/transformers/README.md for every field.

    /work/venv/bin/python scripts/dev/make_transformers_fixtures.py            # all fixtures
    /work/venv/bin/python scripts/dev/make_transformers_fixtures.py llama gemma2  # only these fixtures
    /work/venv/bin/python scripts/dev/make_transformers_fixtures.py --check-features  # each setting matters

Needs torch + transformers 5 + tokenizers + safetensors (a venv outside the repo) and the SIB-200 folder
(`$LNA_SHARED_DIR/datasets/sib200`, default ../shared beside the repository).
"""
import copy
import csv
import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

import torch
import transformers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "transformers"
SHARED = Path(os.environ.get("LNA_SHARED_DIR", ROOT.parent / "shared"))
SIB200 = SHARED / "datasets" / "sib200"

TOKENIZER_LANGUAGES = ["eng_Latn", "fra_Latn", "deu_Latn", "rus_Cyrl", "zho_Hans", "jpn_Jpan", "hin_Deva",
                       "arb_Arab", "tha_Thai", "kor_Hang"]
TEXT_LANGUAGES = ["eng_Latn", "fra_Latn", "rus_Cyrl", "zho_Hans", "hin_Deva", "arb_Arab", "tha_Thai", "kor_Hang"]
VOCAB_SIZE = 320
MAX_TEXT_TOKENS = 36  # including BOS
MIN_TEXT_TOKENS = 20
GREEDY_TOKENS = 16
HOOK_POSITIONS = 8  # rows of the first text kept for the hook tensors
NEAR_ZERO = 1e-5
SEED = 1234


# ---------------------------------------------------------------------------------------------- data + tokenizer

def sib200_texts(language, split):
    with open(SIB200 / language / f"{split}.tsv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quotechar='"'))
    return [row[2] for row in rows[1:]]


def train_tokenizer():
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, special_tokens=["<s>", "</s>"], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    texts = [t for language in TOKENIZER_LANGUAGES for t in sib200_texts(language, "train")]
    tokenizer.train_from_iterator(texts, trainer)
    tokenizer.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 0)])
    assert tokenizer.token_to_id("<s>") == 0 and tokenizer.get_vocab_size() == VOCAB_SIZE
    return tokenizer


def fixture_texts(tokenizer):
    """The first dev sentence of each language, cut at a word (or character, for scripts without spaces) so that
    it has MIN..MAX tokens with BOS."""
    texts = []
    for language in TEXT_LANGUAGES:
        sentence = sib200_texts(language, "dev")[0]
        spaced = " " in sentence and language not in ("tha_Thai",)
        units = sentence.split(" ") if spaced else list(sentence)
        while len(tokenizer.encode(" ".join(units) if spaced else "".join(units)).ids) > MAX_TEXT_TOKENS:
            units.pop()
        text = " ".join(units) if spaced else "".join(units)
        ids = tokenizer.encode(text).ids
        assert MIN_TEXT_TOKENS <= len(ids) <= MAX_TEXT_TOKENS, (language, len(ids))
        texts.append({"language": language, "text": text, "ids": ids})
    return texts


# ---------------------------------------------------------------------------------------------- random weights

def perturb(model, one_plus_w_norms):
    """Replaces transformers' near-zero initialisation by weights that make every feature matter: matrices
    ~ N(0, 1/fan_in), embeddings ~ N(0, 1) (N(0, 0.35²) when tied to the LM head, so logits stay O(1)), biases
    ~ N(0, 0.2²), norm gains 1 ± U(0.1, 0.5) (± U(0.1, 0.5) for the 1 + w form), LayerNorm biases ~ N(0, 0.1²)."""
    g = torch.Generator().manual_seed(SEED)
    tied = model.config.get_text_config().tie_word_embeddings
    embedding_std = 0.15 if tied else 1.0
    with torch.no_grad():
        for name, p in model.named_parameters():
            leaf = name.split(".")[-1]
            is_norm = "norm" in name.lower() or "ln_" in name or "layernorm" in name.lower()
            if p.dim() == 1 and is_norm and leaf == "weight":
                sign = torch.where(torch.rand(p.shape, generator=g) < 0.5, -1.0, 1.0)
                offset = 0.0 if one_plus_w_norms else 1.0
                p.copy_(offset + sign * (0.1 + 0.4 * torch.rand(p.shape, generator=g)))
            elif p.dim() == 2 and is_norm:  # cohere's per-head q/k LayerNorm gains
                sign = torch.where(torch.rand(p.shape, generator=g) < 0.5, -1.0, 1.0)
                p.copy_(1.0 + sign * (0.1 + 0.4 * torch.rand(p.shape, generator=g)))
            elif p.dim() == 1:
                p.copy_(torch.randn(p.shape, generator=g) * (0.1 if is_norm else 0.2))
            elif "embed" in name or "wte" in name or "wpe" in name or "word_embeddings" in name:
                p.copy_(torch.randn(p.shape, generator=g) * embedding_std)
            else:
                fan_in = p.shape[-1] if p.dim() >= 2 else 1
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(fan_in))
    return model


# ---------------------------------------------------------------------------------------------- the families

def common(**extra):
    base = dict(vocab_size=VOCAB_SIZE, bos_token_id=0, eos_token_id=1, pad_token_id=None)
    base.update(extra)
    return base


def fixture_specs():
    """name → (family, model class, config class, config kwargs, 1+w norms). In the required order."""
    C = transformers
    specs = {}

    def add(name, family, model_cls, config_cls, kwargs, one_plus_w=False):
        specs[name] = dict(family=family, model_cls=model_cls, config_cls=config_cls, kwargs=kwargs,
                           one_plus_w=one_plus_w)

    llama = dict(hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, head_dim=12, max_position_embeddings=128, rms_norm_eps=1e-5,
                 tie_word_embeddings=False, hidden_act="silu")
    add("llama", "llama", C.LlamaForCausalLM, C.LlamaConfig,
        common(**llama, rope_parameters={"rope_type": "default", "rope_theta": 50_000.0}))
    add("llama-llama3", "llama", C.LlamaForCausalLM, C.LlamaConfig,
        common(**llama, rope_parameters={"rope_type": "llama3", "rope_theta": 50_000.0, "factor": 8.0,
                                         "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                         "original_max_position_embeddings": 32}))
    add("llama-linear", "llama", C.LlamaForCausalLM, C.LlamaConfig,
        common(**llama, rope_parameters={"rope_type": "linear", "rope_theta": 20_000.0, "factor": 2.5}))
    add("llama-yarn", "llama", C.LlamaForCausalLM, C.LlamaConfig,
        common(**llama, rope_parameters={"rope_type": "yarn", "rope_theta": 50_000.0, "factor": 4.0,
                                         "original_max_position_embeddings": 32, "beta_fast": 32.0,
                                         "beta_slow": 1.0}))
    # dynamic NTK only changes anything beyond max_position_embeddings: 16 < the texts' 20-36 tokens.
    add("llama-dynamic", "llama", C.LlamaForCausalLM, C.LlamaConfig,
        common(**dict(llama, max_position_embeddings=16),
               rope_parameters={"rope_type": "dynamic", "rope_theta": 50_000.0, "factor": 2.0}))
    add("llama-gelu", "llama", C.LlamaForCausalLM, C.LlamaConfig,
        common(**dict(llama, hidden_act="gelu"), rope_parameters={"rope_type": "default", "rope_theta": 50_000.0}))
    add("mistral", "mistral", C.MistralForCausalLM, C.MistralConfig,
        common(**llama, sliding_window=7, rope_parameters={"rope_type": "default", "rope_theta": 200_000.0}))
    qwen2 = dict(llama, tie_word_embeddings=True)
    add("qwen2", "qwen2", C.Qwen2ForCausalLM, C.Qwen2Config,
        common(**qwen2, rope_parameters={"rope_type": "default", "rope_theta": 1_000_000.0}))
    # Qwen2's own window rule: sliding only from layer max_window_layers on (here layer 1 of 2).
    add("qwen2-window", "qwen2", C.Qwen2ForCausalLM, C.Qwen2Config,
        common(**qwen2, use_sliding_window=True, sliding_window=6, max_window_layers=1,
               rope_parameters={"rope_type": "default", "rope_theta": 1_000_000.0}))
    gemma3 = dict(hidden_size=32, intermediate_size=48, num_hidden_layers=4, num_attention_heads=4,
                  num_key_value_heads=2, head_dim=12, max_position_embeddings=128, rms_norm_eps=1e-6,
                  hidden_activation="gelu_pytorch_tanh", query_pre_attn_scalar=20, sliding_window=6,
                  layer_types=["sliding_attention", "sliding_attention", "full_attention", "sliding_attention"],
                  rope_parameters={"full_attention": {"rope_type": "linear", "factor": 2.0, "rope_theta": 200_000.0},
                                   "sliding_attention": {"rope_type": "default", "rope_theta": 5_000.0}})
    add("gemma3_text", "gemma3_text", C.Gemma3ForCausalLM, C.Gemma3TextConfig, common(**gemma3),
        one_plus_w=True)

    add("qwen3", "qwen3", C.Qwen3ForCausalLM, C.Qwen3Config,
        common(**llama, rope_parameters={"rope_type": "default", "rope_theta": 1_000_000.0}, attention_bias=False))
    add("gemma", "gemma", C.GemmaForCausalLM, C.GemmaConfig,
        common(**dict(llama, tie_word_embeddings=True, rms_norm_eps=1e-6, hidden_act="gelu_pytorch_tanh"),
               hidden_activation="gelu_pytorch_tanh",
               rope_parameters={"rope_type": "default", "rope_theta": 30_000.0}),
        one_plus_w=True)
    add("gemma2", "gemma2", C.Gemma2ForCausalLM, C.Gemma2Config,
        common(**dict(gemma3, rope_parameters={"rope_type": "default", "rope_theta": 30_000.0},
                      layer_types=["sliding_attention", "full_attention"] * 2),
               attn_logit_softcapping=3.0, final_logit_softcapping=4.0),
        one_plus_w=True)
    add("gemma3", "gemma3", C.Gemma3ForConditionalGeneration, C.Gemma3Config,
        dict(text_config=common(**gemma3),
             vision_config=dict(hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                                num_attention_heads=2, image_size=28, patch_size=14,
                                vision_use_head=False),
             mm_tokens_per_image=4, boi_token_index=VOCAB_SIZE - 3, eoi_token_index=VOCAB_SIZE - 2,
             image_token_index=VOCAB_SIZE - 1, bos_token_id=0, eos_token_id=1, pad_token_id=None),
        one_plus_w=True)
    phi3 = dict(hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
                num_key_value_heads=2, max_position_embeddings=128, rms_norm_eps=1e-5, tie_word_embeddings=False,
                hidden_act="silu", sliding_window=8)
    add("phi3", "phi3", C.Phi3ForCausalLM, C.Phi3Config,
        common(**phi3, rope_parameters={"rope_type": "default", "rope_theta": 20_000.0}))
    half = 32 // 4 // 2
    add("phi3-longrope", "phi3", C.Phi3ForCausalLM, C.Phi3Config,
        common(**dict(phi3, max_position_embeddings=256), original_max_position_embeddings=64,
               rope_parameters={"rope_type": "longrope", "rope_theta": 20_000.0,
                                "short_factor": [1.0 + 0.25 * i for i in range(half)],
                                "long_factor": [2.0 + 0.5 * i for i in range(half)]}))
    add("olmo2", "olmo2", C.Olmo2ForCausalLM, C.Olmo2Config,
        common(**{k: v for k, v in llama.items() if k != "head_dim"},
               rope_parameters={"rope_type": "default", "rope_theta": 500_000.0}))
    cohere = dict(hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=128, layer_norm_eps=1e-5, hidden_act="silu",
                  logit_scale=0.25, tie_word_embeddings=True)
    add("cohere", "cohere", C.CohereForCausalLM, C.CohereConfig,
        common(**cohere, rope_parameters={"rope_type": "default", "rope_theta": 8_000.0}))
    add("cohere-qknorm", "cohere", C.CohereForCausalLM, C.CohereConfig,
        common(**cohere, use_qk_norm=True, rope_parameters={"rope_type": "default", "rope_theta": 8_000.0}))

    # Issue 16 (stretch): non-gated MLPs, other positions, experts.
    add("bloom", "bloom", C.BloomForCausalLM, C.BloomConfig,
        common(hidden_size=32, n_layer=2, n_head=4, layer_norm_epsilon=1e-5, tie_word_embeddings=True))
    add("xglm", "xglm", C.XGLMForCausalLM, C.XGLMConfig,
        dict(common(d_model=32, ffn_dim=64, num_layers=2, attention_heads=4, max_position_embeddings=64,
                    activation_function="gelu", scale_embedding=True, tie_word_embeddings=True), pad_token_id=1))
    add("gpt2", "gpt2", C.GPT2LMHeadModel, C.GPT2Config,
        common(n_embd=32, n_layer=2, n_head=4, n_inner=64, n_positions=64, activation_function="gelu_new",
               layer_norm_epsilon=1e-5, tie_word_embeddings=True))
    add("mixtral", "mixtral", C.MixtralForCausalLM, C.MixtralConfig,
        common(**llama, num_local_experts=4, num_experts_per_tok=2, sliding_window=None,
               rope_parameters={"rope_type": "default", "rope_theta": 1_000_000.0}))
    add("qwen2_moe", "qwen2_moe", C.Qwen2MoeForCausalLM, C.Qwen2MoeConfig,
        common(**{k: v for k, v in llama.items() if k != "head_dim"}, moe_intermediate_size=24,
               shared_expert_intermediate_size=48, num_experts=4, num_experts_per_tok=2, norm_topk_prob=False,
               mlp_only_layers=[0], rope_parameters={"rope_type": "default", "rope_theta": 1_000_000.0}))
    return specs


# ---------------------------------------------------------------------------------------------- v4 dialect

def derive_sliding_window_pattern(layer_types):
    for pattern in range(1, len(layer_types) + 2):
        expected = ["sliding_attention" if (i + 1) % pattern else "full_attention" for i in range(len(layer_types))]
        if expected == layer_types:
            return pattern
    raise ValueError(f"layer_types {layer_types} follow no sliding_window_pattern")


# v4 fixtures whose rope_scaling spells the type `type` instead of `rope_type`, as checkpoints of the Llama 2 and
# Phi-3 era do; the others use `rope_type`.
LEGACY_TYPE_KEY = {"llama-linear", "phi3-longrope"}


def to_v4_text_config(cfg, family, legacy_type_key=False):
    """The pre-v5 keys of one (text) config dict, following transformers 5's own back-conversion
    (modeling_rope_utils.convert_rope_params_to_dict, Gemma3TextConfig.convert_rope_params_to_dict,
    the `sliding_window_pattern` default of Gemma3TextConfig.__post_init__)."""
    cfg = dict(cfg)
    rope = cfg.pop("rope_parameters", None)
    if rope is not None and "full_attention" in rope:  # Gemma 3: per layer type
        full, local = dict(rope["full_attention"]), dict(rope["sliding_attention"])
        cfg["rope_theta"] = full.pop("rope_theta")
        cfg["rope_local_base_freq"] = local.pop("rope_theta")
        assert local == {"rope_type": "default"}, local
        cfg["rope_scaling"] = None if full == {"rope_type": "default"} else full
    elif rope is not None:
        rope = dict(rope)
        cfg["rope_theta"] = rope.pop("rope_theta")
        if "partial_rotary_factor" in rope:
            cfg["partial_rotary_factor"] = rope.pop("partial_rotary_factor")
        if family == "phi3" and "original_max_position_embeddings" in rope:
            rope.pop("original_max_position_embeddings")  # phi3 keeps it top-level in v4
        cfg["rope_scaling"] = None if rope == {"rope_type": "default"} else rope
        if legacy_type_key and cfg["rope_scaling"]:
            cfg["rope_scaling"]["type"] = cfg["rope_scaling"].pop("rope_type")
    layer_types = cfg.pop("layer_types", None)
    cfg.pop("_sliding_window_pattern", None)  # transformers 5 writes its (unused) default
    if family in ("gemma3_text", "gemma3") and layer_types is not None:
        cfg["sliding_window_pattern"] = derive_sliding_window_pattern(layer_types)
    # qwen2 derives layer_types from use_sliding_window / max_window_layers (checked by reloading)
    if "dtype" in cfg:
        cfg["torch_dtype"] = cfg.pop("dtype")
    return cfg


def to_v4(config_dict, family, legacy_type_key=False):
    cfg = to_v4_text_config(config_dict, family, legacy_type_key)
    if "text_config" in cfg:
        cfg["text_config"] = to_v4_text_config(cfg["text_config"], family)
    cfg["transformers_version"] = "4.57.1"
    return cfg


# ---------------------------------------------------------------------------------------------- goldens

def decoder_layers(model):
    n = model.config.get_text_config().num_hidden_layers
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.ModuleList) and len(module) == n and \
                (name.endswith("layers") or name.endswith(".h")) and "vision" not in name:
            return module
    raise ValueError("no decoder layer list")


def activation_of(module):
    for attribute in ("act_fn", "activation_fn", "gelu_impl", "act"):
        if isinstance(getattr(module, attribute, None), torch.nn.Module):
            return getattr(module, attribute)
    return None


def neuron_module(layer):
    """The module whose output is the dense neuron site: act(gate_proj x) (gated), act(fc1 x + b) (non-gated),
    the shared expert's act for qwen2_moe; None for a layer of experts only (mixtral)."""
    mlp = getattr(layer, "mlp", None) or layer
    if hasattr(mlp, "shared_expert"):
        mlp = mlp.shared_expert
    elif hasattr(mlp, "experts"):
        return None
    found = activation_of(mlp)
    if found is None:
        raise ValueError(f"no activation module in {type(mlp).__name__}")
    return found


class ExpertCapture:
    """Router choices and expert neuron signs of one MoE layer. The experts module calls its act_fn once per
    expert that received tokens, in increasing expert order (transformers 5 `*Experts.forward`), on the gate
    half of that expert's rows: the i-th call after the router fired belongs to the i-th chosen expert."""

    def __init__(self, moe, experts, width):
        self.experts, self.width = experts, width
        self.routing = torch.zeros(experts, dtype=torch.long)
        self.positive = torch.zeros(experts, width, dtype=torch.long)
        self.near_zero = torch.zeros_like(self.positive)
        self.handles = [moe.gate.register_forward_hook(self.on_router),
                        moe.experts.act_fn.register_forward_hook(self.on_act)]

    def on_router(self, module, args, output):
        indices = output[2]
        self.routing += torch.bincount(indices.reshape(-1), minlength=self.experts)
        self.pending = sorted(set(indices.reshape(-1).tolist()))

    def on_act(self, module, args, output):
        expert = self.pending.pop(0)
        self.positive[expert] += (output > 0).sum(dim=0)
        self.near_zero[expert] += (output.abs() <= NEAR_ZERO).sum(dim=0)

    def close(self):
        for h in self.handles:
            h.remove()


class Capture:
    """Forward hooks: the embedding output, the residual after layer 0, and the neuron site of every layer."""

    def __init__(self, model):
        self.layers = decoder_layers(model)
        self.sites = [neuron_module(layer) for layer in self.layers]
        dense = [m for m in self.sites if m is not None]
        assert len({id(m) for m in dense}) == len(dense), "activation module shared between layers"
        assert not dense or len(dense) == len(self.sites), "dense neuron sites in some layers only"
        self.embedding = model.get_input_embeddings()
        self.values = {}
        self.handles = [self.embedding.register_forward_hook(self.keep("embed")),
                        self.layers[0].register_forward_hook(self.keep("resid0"))]
        self.handles += [m.register_forward_hook(self.keep(f"act{l}")) for l, m in enumerate(self.sites) if m]
        text = model.config.get_text_config()
        self.experts = {}
        for l, layer in enumerate(self.layers):
            moe = getattr(layer, "mlp", None)
            if moe is not None and hasattr(moe, "experts"):
                width = getattr(text, "moe_intermediate_size", None) or text.intermediate_size
                self.experts[l] = ExpertCapture(moe, moe.experts.num_experts, width)

    def keep(self, key):
        def hook(module, args, output):
            self.values[key] = (output[0] if isinstance(output, tuple) else output).detach().clone()
        return hook

    def close(self):
        for h in self.handles:
            h.remove()
        for e in self.experts.values():
            e.close()


def forward_logits(model, ids):
    with torch.no_grad():
        return model(input_ids=torch.tensor([ids]), use_cache=False).logits[0].double()


def nll_of(logits, ids):
    logp = torch.log_softmax(logits, dim=-1)
    return [float(-logp[i, ids[i + 1]]) for i in range(len(ids) - 1)]


def greedy(model, prompt):
    """Argmax of a full forward (no KV cache) per step."""
    ids = list(prompt)
    for _ in range(GREEDY_TOKENS):
        ids.append(int(torch.argmax(forward_logits(model, ids)[-1])))
    return ids[len(prompt):]


class Float32(float):
    """A float32 value printed with the 9 significant digits that round-trip it."""

    def __repr__(self):
        return f"{self:.9g}"


def floats(tensor):
    return [Float32(x) for x in tensor.to(torch.float32).reshape(-1).tolist()]


def write_json(path, document):
    """One top-level key per line, values compact (float32 tensors with 9 digits, NLLs in full)."""
    def encode(value):
        if isinstance(value, Float32):
            return repr(value)
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, dict):
            return "{" + ",".join(json.dumps(k) + ":" + encode(v) for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ",".join(encode(v) for v in value) + "]"
        return json.dumps(value, ensure_ascii=False)
    lines = [f" {json.dumps(k)}: {encode(v)}" for k, v in document.items()]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    json.loads(text)
    path.write_text(text, encoding="utf-8")


def goldens(model, texts, name, family):
    capture = Capture(model)
    layers = len(capture.layers)
    positive = None
    near_zero = None
    records = []
    hooks = {}
    for index, entry in enumerate(texts):
        logits = forward_logits(model, entry["ids"])
        records.append(dict(entry, nll=nll_of(logits, entry["ids"])))
        if f"act0" not in capture.values:  # experts only
            if index == 0:
                hooks = {name: {"shape": list(value[:HOOK_POSITIONS].shape), "values": floats(value[:HOOK_POSITIONS])}
                         for name, value in [("hook_embed", capture.values["embed"][0]),
                                             ("blocks.0.hook_resid_post", capture.values["resid0"][0])]}
            continue
        acts = torch.stack([capture.values[f"act{l}"].reshape(-1, capture.values[f"act{l}"].shape[-1])
                            for l in range(layers)])  # L × T × f
        if positive is None:
            positive = torch.zeros(layers, acts.shape[-1], dtype=torch.long)
            near_zero = torch.zeros_like(positive)
        positive += (acts > 0).sum(dim=1)
        near_zero += (acts.abs() <= NEAR_ZERO).sum(dim=1)
        if index == 0:
            rows = HOOK_POSITIONS
            hooks = {name: {"shape": list(value[:rows].shape), "values": floats(value[:rows])} for name, value in [
                ("hook_embed", capture.values["embed"][0]),
                ("blocks.0.hook_resid_post", capture.values["resid0"][0]),
                (f"blocks.{layers - 1}.mlp.hook_act", acts[-1])]}
    capture.close()
    prompt = texts[0]["ids"][:8]
    tokens = sum(len(t["ids"]) for t in texts)
    extra = {}
    if capture.experts:
        text = model.config.get_text_config()
        first = next(iter(capture.experts.values()))
        extra["experts"] = {
            "layers": sorted(capture.experts), "count": first.experts,
            "top_k": text.num_experts_per_tok, "width": first.width, "tokens": tokens,
            "routing": [capture.experts[l].routing.tolist() for l in sorted(capture.experts)],
            "positive": [capture.experts[l].positive.tolist() for l in sorted(capture.experts)],
            "near_zero": [capture.experts[l].near_zero.tolist() for l in sorted(capture.experts)]}
        for l in capture.experts:
            assert sum(extra["experts"]["routing"][sorted(capture.experts).index(l)]) == tokens * text.num_experts_per_tok
    neurons = None if positive is None else {
        "layers": layers, "width": int(positive.shape[1]), "tokens": tokens, "near_zero_threshold": NEAR_ZERO,
        "positive": positive.tolist(), "near_zero": near_zero.tolist()}
    return {
        "fixture": name,
        "family": family,
        "model_class": type(model).__name__,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "texts": records,
        "neurons": neurons,
        **extra,
        "greedy": {"prompt": prompt, "ids": greedy(model, prompt)},
        "hooks": hooks,
    }


# ---------------------------------------------------------------------------------------------- one fixture

def build(name, spec, texts, tokenizer_path):
    torch.manual_seed(SEED)
    config = spec["config_cls"](**spec["kwargs"])
    model = spec["model_cls"](config).to(torch.float32).eval()
    if model._can_set_experts_implementation():
        # The per-expert loop: its act_fn runs once per chosen expert on that expert's tokens (what ExpertCapture
        # attributes); the batched kernels transformers may pick otherwise call it once for all experts.
        model.set_experts_implementation("eager")
    perturb(model, spec["one_plus_w"])
    folder = OUT / name
    if folder.exists():
        shutil.rmtree(folder)
    model.save_pretrained(folder, safe_serialization=True)
    for extra in ("generation_config.json",):
        (folder / extra).unlink(missing_ok=True)
    reference = [forward_logits(model, t["ids"]) for t in texts]

    v5 = json.loads((folder / "config.json").read_text())
    v4 = to_v4(v5, spec["family"], legacy_type_key=name in LEGACY_TYPE_KEY)
    (folder / "config.v4.json").write_text(json.dumps(v4, indent=2, sort_keys=True) + "\n")
    for dialect in ("config.json", "config.v4.json"):
        check_reload(folder, dialect, spec, texts, reference)

    golden = goldens(model, texts, name, spec["family"])
    write_json(folder / "goldens.json", golden)
    size = sum(f.stat().st_size for f in folder.iterdir())
    sums = [sum(t["nll"]) for t in golden["texts"]]
    print(f"{name}: {size / 1e3:.0f} kB, Σ NLL per text {[round(s, 3) for s in sums]}, "
          f"greedy {golden['greedy']['ids']}")


def check_reload(folder, dialect, spec, texts, reference):
    """Loads the folder with `dialect` as config.json through transformers and requires the same logits."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copy(folder / dialect, tmp / "config.json")
        os.symlink(folder / "model.safetensors", tmp / "model.safetensors")
        loaded = spec["model_cls"].from_pretrained(tmp, dtype=torch.float32).eval()
        for entry, logits in zip(texts, reference):
            again = forward_logits(loaded, entry["ids"])
            difference = (again - logits).abs().max().item()
            # bit-identical except where from_pretrained picks another experts kernel (qwen2_moe: 2e-7)
            assert difference <= 1e-5, f"{folder.name}/{dialect}: reload differs by {difference}"
            if difference:
                print(f"  {folder.name}/{dialect}: reload max |Δlogit| {difference:.1e}")


# Each non-default setting must change the outputs, or the fixture could not catch a forward that ignores it:
# (fixture, config.json keys replaced by their default). `--check-features` reloads each with the override.
FEATURE_CHECKS = [
    ("llama", {"rope_parameters": {"rope_type": "default", "rope_theta": 10_000.0}}),
    ("llama-llama3", {"rope_parameters": {"rope_type": "default", "rope_theta": 50_000.0}}),
    ("llama-linear", {"rope_parameters": {"rope_type": "default", "rope_theta": 20_000.0}}),
    ("llama-yarn", {"rope_parameters": {"rope_type": "default", "rope_theta": 50_000.0}}),
    ("llama-dynamic", {"rope_parameters": {"rope_type": "default", "rope_theta": 50_000.0}}),
    ("llama-gelu", {"hidden_act": "silu"}),
    ("mistral", {"sliding_window": None}),
    ("qwen2-window", {"use_sliding_window": False, "layer_types": ["full_attention"] * 2}),
    ("gemma3_text", {"sliding_window": 4096}),
    ("gemma3_text", {"query_pre_attn_scalar": 12}),
    ("gemma3_text", {"layer_types": ["sliding_attention"] * 3 + ["full_attention"]}),
    ("gemma3_text", {"rope_parameters": {"full_attention": {"rope_type": "default", "rope_theta": 200_000.0},
                                         "sliding_attention": {"rope_type": "default", "rope_theta": 5_000.0}}}),
    ("gemma2", {"attn_logit_softcapping": None}),
    ("gemma2", {"final_logit_softcapping": None}),
    ("gemma2", {"sliding_window": 4096}),
    ("phi3", {"sliding_window": None}),
    ("phi3-longrope", {"rope_parameters": {"rope_type": "default", "rope_theta": 20_000.0}}),
    ("cohere", {"logit_scale": 0.0625}),
]


def check_features(specs, texts):
    for name, override in FEATURE_CHECKS:
        folder = OUT / name
        golden = json.loads((folder / "goldens.json").read_text())
        config = json.loads((folder / "config.json").read_text())
        config.update(override)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (tmp / "config.json").write_text(json.dumps(config))
            os.symlink(folder / "model.safetensors", tmp / "model.safetensors")
            model = specs[name]["model_cls"].from_pretrained(tmp, dtype=torch.float32).eval()
        changed = 0.0
        for entry in golden["texts"]:
            nll = nll_of(forward_logits(model, entry["ids"]), entry["ids"])
            changed = max(changed, abs(sum(nll) - sum(entry["nll"])) / sum(entry["nll"]))
        print(f"{name} with {override}: Σ NLL changes by up to {changed:.1e} (relative)")
        assert changed > 1e-4, f"{name}: {override} does not change the outputs"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    tokenizer = train_tokenizer()
    tokenizer_path = OUT / "tokenizer.json"
    tokenizer.save(str(tokenizer_path))
    texts = fixture_texts(tokenizer)
    specs = fixture_specs()
    if sys.argv[1:] == ["--check-features"]:
        return check_features(specs, texts)
    wanted = sys.argv[1:] or list(specs)
    for name in wanted:
        build(name, specs[name], texts, tokenizer_path)


if __name__ == "__main__":
    main()
