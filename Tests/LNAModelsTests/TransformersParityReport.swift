import Foundation
import LNAHooks
import LNAModels

/// goldens.json of one fixture (fields in Tests/Fixtures/transformers/README.md).
struct TransformersGolden: Decodable {
    struct Text: Decodable {
        let language: String
        let text: String
        let ids: [Int]
        let nll: [Double]
    }

    struct Neurons: Decodable {
        let layers: Int
        let width: Int
        let positive: [[Int]]
        let near_zero: [[Int]]
    }

    struct Experts: Decodable {
        let layers: [Int]
        let count: Int
        let top_k: Int
        let width: Int
        let tokens: Int
        let routing: [[Int]]
        let positive: [[[Int]]]
        let near_zero: [[[Int]]]
    }

    struct Greedy: Decodable {
        let prompt: [Int]
        let ids: [Int]
    }

    struct HookValues: Decodable {
        let shape: [Int]
        let values: [Float]
    }

    let fixture: String
    let family: String
    let texts: [Text]
    /// nil for a model whose MLPs are all experts (mixtral).
    let neurons: Neurons?
    /// Router and expert-neuron counts of mixture-of-experts models (see README.md).
    let experts: Experts?
    let greedy: Greedy
    let hooks: [String: HookValues]

    static func load(_ root: URL, _ name: String) throws -> TransformersGolden {
        let url = root.appendingPathComponent("\(name)/goldens.json")
        return try JSONDecoder().decode(TransformersGolden.self, from: Data(contentsOf: url))
    }
}

/// lna's outputs on one fixture compared with the goldens: every disagreement as one line.
struct ParityReport {
    var problems: [String] = []
    var worstSumRelative = 0.0
    var worstToken = 0.0
    var neuronCountsDiffering = 0
    var neuronCounts = 0
    var worstHook: Float = 0
    var greedyEqual = false
    var routingDiffering = 0
    var routingCounts = 0
    var expertNeuronCountsDiffering = 0
    var expertNeuronCounts = 0

    var summary: String {
        String(format: "Σ NLL rel %.2e, token |ΔNLL| %.2e, neuron counts differing %d of %d, routing counts differing %d of %d, expert neuron counts differing %d of %d, hook rel %.2e, greedy %@%@",
               worstSumRelative, worstToken, neuronCountsDiffering, neuronCounts, routingDiffering, routingCounts,
               expertNeuronCountsDiffering, expertNeuronCounts, worstHook,
               greedyEqual ? "equal" : "differs",
               problems.isEmpty ? "" : " — \(problems.count) problem(s): \(problems.prefix(3).joined(separator: "; "))")
    }

    init(model: Model, golden: TransformersGolden) throws {
        let layers = model.config.layerCount
        let width = golden.neurons?.width ?? 0
        if let neurons = golden.neurons, layers != neurons.layers || model.config.intermediateSize != width {
            problems.append("neuron shape \(layers) × \(model.config.intermediateSize), golden \(neurons.layers) × \(width)")
            return
        }
        var positive = [[Int]](repeating: [Int](repeating: 0, count: width), count: layers)
        let hooks = HookSet(layerCount: layers)
        try hooks.observe("blocks.*.mlp.hook_act") { t in
            guard let layer = t.point.layer, t.columns == width else { return }
            for r in 0..<t.rows {
                let row = t.row(r)
                for j in 0..<t.columns where row[j] > 0 { positive[layer][j] += 1 }
            }
        }
        // Expert routing (rows each expert's act hook sees) and expert neuron signs, per (layer, expert).
        let expertCount = golden.experts?.count ?? 0, expertWidth = golden.experts?.width ?? 0
        var routing = [[Int]](repeating: [Int](repeating: 0, count: expertCount), count: layers)
        var expertPositive = [[[Int]]](repeating: [[Int]](repeating: [Int](repeating: 0, count: expertWidth),
                                                          count: expertCount), count: layers)
        if golden.experts != nil {
            try hooks.observe("blocks.*.mlp.experts.*.hook_act") { t in
                guard let layer = t.point.layer, let expert = t.point.expert, expert < expertCount,
                      t.columns == expertWidth else { return }
                routing[layer][expert] += t.rows
                for r in 0..<t.rows {
                    let row = t.row(r)
                    for j in 0..<t.columns where row[j] > 0 { expertPositive[layer][expert][j] += 1 }
                }
            }
        }
        for text in golden.texts {
            let ids = model.tokenizer.encode(text.text)
            if ids != text.ids { problems.append("\(text.language): token ids \(ids) ≠ \(text.ids)") }
            let score = try model.score(tokens: text.ids, hooks: hooks)
            compareNLL(score.nll, text)
        }
        if let neurons = golden.neurons { compareNeurons(positive, neurons) }
        if let experts = golden.experts { compareExperts(routing, expertPositive, experts) }
        var sampler = Sampler()
        let greedy = try model.generate(prompt: golden.greedy.prompt, maxTokens: golden.greedy.ids.count,
                                        sampler: &sampler)
        greedyEqual = greedy == golden.greedy.ids
        if !greedyEqual { problems.append("greedy \(greedy) ≠ \(golden.greedy.ids)") }
        try compareHooks(model, golden)
    }

    mutating func compareNLL(_ nll: [Double], _ text: TransformersGolden.Text) {
        guard nll.count == text.nll.count else {
            problems.append("\(text.language): \(nll.count) NLLs, golden \(text.nll.count)")
            return
        }
        let sum = nll.reduce(0, +), goldenSum = text.nll.reduce(0, +)
        let relative = abs(sum - goldenSum) / abs(goldenSum)
        let token = zip(nll, text.nll).map { abs($0 - $1) }.max() ?? 0
        worstSumRelative = max(worstSumRelative, relative)
        worstToken = max(worstToken, token)
        if relative > TransformersParityTests.sumTolerance {
            problems.append("\(text.language): Σ NLL \(sum) vs \(goldenSum) (rel \(relative))")
        }
        if token > TransformersParityTests.tokenTolerance {
            problems.append("\(text.language): per-token |ΔNLL| \(token)")
        }
    }

    /// A count may differ only by tokens whose transformers value was within 1e-5 of zero.
    mutating func compareNeurons(_ positive: [[Int]], _ golden: TransformersGolden.Neurons) {
        var outside = 0
        neuronCounts = golden.layers * golden.width
        for l in 0..<golden.layers {
            for j in 0..<golden.width where positive[l][j] != golden.positive[l][j] {
                neuronCountsDiffering += 1
                if abs(positive[l][j] - golden.positive[l][j]) > golden.near_zero[l][j] { outside += 1 }
            }
        }
        if outside > 0 { problems.append("\(outside) of \(golden.layers * golden.width) neuron counts differ") }
    }

    /// Routing counts must be equal (no router ties in these fixtures); an expert neuron count may differ only
    /// by tokens whose transformers value was within 1e-5 of zero, and only where its routing count agrees.
    mutating func compareExperts(_ routing: [[Int]], _ positive: [[[Int]]], _ golden: TransformersGolden.Experts) {
        var outside = 0
        for (i, layer) in golden.layers.enumerated() {
            let total = routing[layer].reduce(0, +)
            if total != golden.tokens * golden.top_k {
                problems.append("layer \(layer): \(total) routed token slots, expected \(golden.tokens) × \(golden.top_k)")
            }
            for e in 0..<golden.count {
                routingCounts += 1
                if routing[layer][e] != golden.routing[i][e] {
                    routingDiffering += 1
                    problems.append("layer \(layer) expert \(e): routed \(routing[layer][e]) tokens, golden \(golden.routing[i][e])")
                }
                for j in 0..<golden.width {
                    expertNeuronCounts += 1
                    let mine = positive[layer][e][j], theirs = golden.positive[i][e][j]
                    if mine != theirs {
                        expertNeuronCountsDiffering += 1
                        if abs(mine - theirs) > golden.near_zero[i][e][j] { outside += 1 }
                    }
                }
            }
        }
        if outside > 0 { problems.append("\(outside) of \(expertNeuronCounts) expert neuron counts differ") }
    }

    /// The first rows of the first text at each golden hook point.
    mutating func compareHooks(_ model: Model, _ golden: TransformersGolden) throws {
        let hooks = HookSet(layerCount: model.config.layerCount)
        var seen: [String: [Float]] = [:]
        for (name, expected) in golden.hooks {
            let rows = expected.shape[0], columns = expected.shape[1]
            try hooks.observe(name) { t in
                guard t.columns == columns, t.rowOffset == 0 else { return }
                seen[name] = (0..<min(rows, t.rows)).flatMap { Array(t.row($0)) }
            }
        }
        _ = try model.score(tokens: golden.texts[0].ids, hooks: hooks)
        for (name, expected) in golden.hooks.sorted(by: { $0.key < $1.key }) {
            guard let values = seen[name], values.count == expected.values.count else {
                problems.append("\(name): no tensor of shape \(expected.shape)")
                continue
            }
            let scale = max(expected.values.map(abs).max() ?? 1, 1e-6)
            let relative = zip(values, expected.values).map { abs($0 - $1) }.max()! / scale
            worstHook = max(worstHook, relative)
            if relative > TransformersParityTests.hookTolerance { problems.append("\(name): rel |Δ| \(relative)") }
        }
    }
}
