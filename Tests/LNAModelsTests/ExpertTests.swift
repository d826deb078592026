import Foundation
import LNAFormats
import LNAHooks
import LNAModels
import LNATestSupport
import LNATokenizers
import Testing

/// Mixtures of experts on the transformers fixtures (mixtral, qwen2_moe): routing counts add up, the expert
/// hooks see what the router chose, and removing an expert through `mlp.hook_router` is removing it from the
/// checkpoint by hand.
struct ExpertTests {
    static let fixtures = ["mixtral", "qwen2_moe"]

    /// Per language (one fixture text each), the tokens routed to the experts of every MoE layer sum to
    /// tokens × top-k, and no token reaches an expert twice.
    @Test(arguments: fixtures)
    func routingCountsOfALanguageSumToTokensTimesTopK(fixture: String) throws {
        let model = try TransformersParityTests.load(fixture, .v5)
        let golden = try TransformersGolden.load(TransformersParityTests.root, fixture)
        guard case let .experts(e) = model.config.block.mlp else {
            Issue.record("\(fixture) has no experts")
            return
        }
        for text in golden.texts {
            let hooks = HookSet(layerCount: model.config.layerCount)
            var routed = [[Int]](repeating: [Int](repeating: 0, count: e.count), count: model.config.layerCount)
            var positionsSeen: [String: Set<Int>] = [:]
            var duplicate = false
            try hooks.observe("blocks.*.mlp.experts.*.hook_act") { t in
                routed[t.point.layer!][t.point.expert!] += t.rows
                let key = "\(t.point.layer!).\(t.point.expert!)"
                for position in t.context.positions where positionsSeen[key, default: []].insert(position).inserted == false {
                    duplicate = true
                }
            }
            _ = try model.score(tokens: text.ids, hooks: hooks)
            #expect(!duplicate, "\(fixture) \(text.language): a token reached an expert twice")
            for layer in 0..<model.config.layerCount {
                let total = routed[layer].reduce(0, +)
                let expected = e.routes(layer: layer) ? text.ids.count * e.topK : 0
                #expect(total == expected, "\(fixture) \(text.language) layer \(layer): \(total) routed, expected \(expected)")
            }
        }
    }

    /// A router logit of −∞ for expert x in every MoE layer gives the logits of the same checkpoint with expert x
    /// deleted (its router row and its three matrices, the others renumbered, one expert fewer in config.json).
    @Test(arguments: fixtures)
    func deactivatingAnExpertEqualsRemovingItFromTheRouter(fixture: String) throws {
        let removed = 1
        let model = try TransformersParityTests.load(fixture, .v5)
        guard case let .experts(e) = model.config.block.mlp else {
            Issue.record("\(fixture) has no experts")
            return
        }
        let smaller = try Self.withoutExpert(fixture, removed, experts: e.count)
        let ids = try TransformersGolden.load(TransformersParityTests.root, fixture).texts[0].ids
        let hooks = HookSet(layerCount: model.config.layerCount)
        for layer in 0..<model.config.layerCount where e.routes(layer: layer) {
            try hooks.intervene(Intervention(hook: "blocks.\(layer).mlp.hook_router", neurons: .indices([removed]),
                                             operation: .set(-.infinity)))
        }
        var reached = false
        try hooks.observe("blocks.*.mlp.experts.\(removed).hook_act") { _ in reached = true }
        let deactivated = try model.forward(TokenBatch([ids]), hooks: hooks, logits: .all).logits
        let byHand = try smaller.forward(TokenBatch([ids]), logits: .all).logits
        let untouched = try model.forward(TokenBatch([ids]), logits: .all).logits
        let scale = byHand.map(abs).max()!
        let difference = zip(deactivated, byHand).map { abs($0 - $1) }.max()!
        #expect(!reached, "the deactivated expert still received tokens")
        #expect(difference <= 1e-5 * scale, "\(fixture): |Δlogit| \(difference) between hook removal and removal by hand")
        #expect(zip(untouched, byHand).map { abs($0 - $1) }.max()! > 1e-3 * scale, "removing expert \(removed) changes nothing")
    }

    /// A copy of the fixture with expert `x` removed from every MoE layer.
    static func withoutExpert(_ fixture: String, _ x: Int, experts count: Int) throws -> Model {
        let folder = TransformersParityTests.root.appendingPathComponent(fixture)
        let directory = try TestResources.temporaryDirectory("moe-without-\(fixture)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        let expertPattern = try Regex(#"^(.*\.experts\.)(\d+)(\..*)$"#)
        for name in source.tensorNames.sorted() {
            let shape = source.descriptor(name)!.shape
            var values = try source.floats(name)
            if let match = name.wholeMatch(of: expertPattern) {
                let expert = Int(match.output[2].substring!)!
                if expert == x { continue }
                let renamed = "\(match.output[1].substring!)\(expert > x ? expert - 1 : expert)\(match.output[3].substring!)"
                try writer.add(renamed, values, shape: shape)
                continue
            }
            if name.hasSuffix("block_sparse_moe.gate.weight") || name.hasSuffix("mlp.gate.weight") {
                let d = shape[1]
                values.removeSubrange((x * d)..<((x + 1) * d))
                try writer.add(name, values, shape: [count - 1, d])
                continue
            }
            try writer.add(name, values, shape: shape)
        }
        try writer.write(to: directory.appendingPathComponent("model.safetensors"))
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as! [String: Any]
        config[fixture == "mixtral" ? "num_local_experts" : "num_experts"] = count - 1
        try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config.json"))
        let tokenizerURL = TransformersParityTests.root.appendingPathComponent("tokenizer.json")
        let tokenizer = try Tokenizer(huggingFaceJSON: Data(contentsOf: tokenizerURL), source: tokenizerURL.path)
        return try Model.load(url: directory, tokenizer: tokenizer, weights: .resident)
    }
}
