#!/usr/bin/env python3
"""Per-language routing and expert-neuron goldens of the mixture-of-experts transformers fixtures.

For mixtral and qwen2_moe under Tests/Fixtures/transformers/, loads the committed checkpoint with transformers
(`from_pretrained`, float32, the eager per-expert loop), runs each text of its goldens.json alone (one text = one
language) and writes `<fixture>/routing.json`: what `lna activation` must write into a statistics file's routing
tensors (`routing_counts`, `routing_rank_counts`, `routing_weight_sum`) and, for
`--site blocks.*.mlp.experts.hook_act`, its expert-neuron tensors (`over_zero`, `sum_act`, `sum_weighted_act`).
See Tests/Fixtures/transformers/README.md for every field.

    /work/venv/bin/python scripts/dev/make_routing_goldens.py

Needs torch + transformers 5 (a venv outside the repo). Reads only the committed fixtures; deterministic.
"""
import json
from pathlib import Path

import torch
import transformers

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures" / "transformers"
NEAR_ZERO = 1e-5
# Two routing probabilities of one token closer than this are a tie up to float rounding: the choice or the
# rank between them may differ in another float32 implementation.
TIE = 1e-6
MODELS = {"mixtral": transformers.MixtralForCausalLM, "qwen2_moe": transformers.Qwen2MoeForCausalLM}


class LayerCapture:
    """One MoE layer of one forward: the router's probabilities, top-k choice and weights, and the experts'
    act(gate) rows. The eager experts loop runs act_fn once per expert hit, in increasing expert order, on the rows
    `torch.where(one_hot(indices)[e])` gives: rank-major, then token order — the weights are attributed the same way."""

    def __init__(self, moe, experts, width, top_k):
        self.experts, self.width, self.top_k = experts, width, top_k
        self.handles = [moe.gate.register_forward_hook(self.on_router),
                        moe.experts.act_fn.register_forward_hook(self.on_act)]
        self.reset()

    def reset(self):
        e, w, k = self.experts, self.width, self.top_k
        self.routing = torch.zeros(e, dtype=torch.long)
        self.rank = torch.zeros(e, k, dtype=torch.long)
        self.weight_sum = torch.zeros(e, dtype=torch.float64)
        self.positive = torch.zeros(e, w, dtype=torch.long)
        self.near_zero = torch.zeros(e, w, dtype=torch.long)
        self.sum_act = torch.zeros(e, w, dtype=torch.float64)
        self.sum_weighted = torch.zeros(e, w, dtype=torch.float64)
        self.ties = 0

    def on_router(self, module, args, output):
        logits, weights, indices = output
        probabilities = torch.softmax(logits.float(), dim=-1)
        self.indices, self.weights = indices, weights
        for r in range(self.top_k):
            self.rank[:, r] += torch.bincount(indices[:, r], minlength=self.experts)
            self.weight_sum.index_add_(0, indices[:, r], weights[:, r].double())
        self.routing += torch.bincount(indices.reshape(-1), minlength=self.experts)
        ordered = probabilities.sort(dim=-1, descending=True).values[:, :min(self.top_k + 1, self.experts)]
        self.ties += int(((ordered[:, :-1] - ordered[:, 1:]) <= TIE).any(dim=-1).sum())
        mask = torch.nn.functional.one_hot(indices, num_classes=self.experts).permute(2, 1, 0)
        self.pending = [(e, torch.where(mask[e])) for e in range(self.experts) if mask[e].any()]

    def on_act(self, module, args, output):
        expert, (rank, token) = self.pending.pop(0)
        values = output.double()
        assert values.shape[0] == token.shape[0]
        weight = self.weights[token, rank].double()[:, None]
        self.positive[expert] += (output > 0).sum(dim=0)
        self.near_zero[expert] += (output.abs() <= NEAR_ZERO).sum(dim=0)
        self.sum_act[expert] += values.sum(dim=0)
        self.sum_weighted[expert] += (values * weight).sum(dim=0)

    def close(self):
        for h in self.handles:
            h.remove()


def routing_goldens(fixture):
    folder = FIXTURES / fixture
    golden = json.loads((folder / "goldens.json").read_text())
    model = MODELS[fixture].from_pretrained(folder, dtype=torch.float32).eval()
    model.set_experts_implementation("eager")
    config = model.config
    width = getattr(config, "moe_intermediate_size", None) or config.intermediate_size
    layers = {l: LayerCapture(layer.mlp, layer.mlp.experts.num_experts, width, config.num_experts_per_tok)
              for l, layer in enumerate(model.model.layers) if hasattr(layer.mlp, "experts")}
    texts = []
    for entry in golden["texts"]:
        for capture in layers.values():
            capture.reset()
        with torch.no_grad():
            model(input_ids=torch.tensor([entry["ids"]]), use_cache=False)
        tokens = len(entry["ids"])
        c = [layers[l] for l in sorted(layers)]
        for capture in c:
            assert int(capture.routing.sum()) == tokens * capture.top_k
        texts.append({
            "language": entry["language"], "tokens": tokens,
            "routing": [x.routing.tolist() for x in c], "rank": [x.rank.tolist() for x in c],
            "weight_sum": [x.weight_sum.tolist() for x in c], "ties": [x.ties for x in c],
            "positive": [x.positive.tolist() for x in c], "near_zero": [x.near_zero.tolist() for x in c],
            "sum_act": [x.sum_act.tolist() for x in c], "sum_weighted_act": [x.sum_weighted.tolist() for x in c]})
    for capture in layers.values():
        capture.close()
    return {"fixture": fixture, "transformers_version": transformers.__version__, "torch_version": torch.__version__,
            "layers": sorted(layers), "count": config.num_local_experts if fixture == "mixtral" else config.num_experts,
            "top_k": config.num_experts_per_tok, "width": width, "near_zero_threshold": NEAR_ZERO,
            "tie_threshold": TIE, "texts": texts}


def write(path, document):
    """One text per line; float64 sums with 17 digits."""
    head = {k: v for k, v in document.items() if k != "texts"}
    lines = ["{", *(f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()), ' "texts": [']
    lines.append(",\n".join("  " + json.dumps(t, separators=(",", ":")) for t in document["texts"]))
    lines += [" ]", "}"]
    text = "\n".join(lines) + "\n"
    json.loads(text)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    torch.set_num_threads(1)
    for name in MODELS:
        document = routing_goldens(name)
        write(FIXTURES / name / "routing.json", document)
        ties = [sum(t["ties"]) for t in document["texts"]]
        print(f"{name}: {len(document['texts'])} texts, MoE layers {document['layers']}, near-ties per text {ties}")
