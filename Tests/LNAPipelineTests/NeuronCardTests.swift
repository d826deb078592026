import Foundation
import Testing
import LNAAnalysis
import LNAFormats
import LNAModels
import LNAPipeline
import LNATestSupport
import LNATokenizers

/// Neuron cards on a tiny checkpoint written by `SyntheticCheckpoint` (Mistral layout, untied LM head): the
/// vocabulary projection equals the hand-written product `lm_head · rmsnorm(down_proj[:, j]) · g`.
struct NeuronCardTests {
    static let shape = SyntheticCheckpoint.Shape(hiddenSize: 64, intermediateSize: 96, layerCount: 2, headCount: 4,
                                                 kvHeadCount: 2, headDim: 16)

    static var vocabulary: TokenizerVocabulary {
        var tokens = ["<unk>", "<s>", "</s>"] + (0..<256).map { String(format: "<0x%02X>", $0) }
        var types: [TokenType] = [.unknown, .control, .control] + Array(repeating: .byte, count: 256)
        while tokens.count < 300 { tokens.append("▁w\(tokens.count)"); types.append(.normal) }
        return TokenizerVocabulary(model: .llama, tokens: tokens, scores: Array(repeating: 0, count: tokens.count),
                                   tokenTypes: types, bosID: 1, eosID: 2, unknownID: 0, addBOS: true)
    }

    @Test func vocabularyProjectionEqualsTheHandWrittenProduct() throws {
        let root = try TestResources.temporaryDirectory("neuron-cards")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("model")
        try SyntheticCheckpoint.write(Self.shape, tokenizer: Self.vocabulary, to: folder, seed: 9)
        let model = try Model.load(url: folder, tokenizer: try Tokenizer(vocabulary: Self.vocabulary), weights: .resident)
        let (layers, width) = (Self.shape.layerCount, Self.shape.intermediateSize)
        let stats = try ["en", "fr"].enumerated().map { k, lang in
            try ActivationStatistics(metadata: StatisticsMetadata(language: lang, layers: layers, width: width),
                                     full: ActivationCounts(overZero: (0..<(layers * width)).map { Int64(($0 * (k + 3)) % 11) },
                                                            totalTokens: 10))
        }
        var builder = try NeuronCardBuilder(model: model, statistics: stats, masks: nil, lambda: 0, topContexts: [:])
        builder.projectionSize = 20
        let ids = [NeuronID(layer: 0, neuron: 5), NeuronID(layer: 1, neuron: 95), NeuronID(layer: 1, neuron: 0)]
        let cards = try builder.cards(for: ids)

        // By hand, from the checkpoint's own tensors (bf16 read as float32).
        let file = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model-00001-of-00001.safetensors"))
        let gain = try file.floats("model.norm.weight"), head = try file.floats("lm_head.weight")
        let d = Self.shape.hiddenSize, v = Self.vocabulary.tokens.count
        for (id, card) in zip(ids, cards) {
            let down = try file.floats("model.layers.\(id.layer).mlp.down_proj.weight")   // [d, width]
            let column = (0..<d).map { Double(down[$0 * width + id.neuron]) }
            let rms = (column.map { $0 * $0 }.reduce(0, +) / Double(d) + 1e-5).squareRoot()
            let normed = (0..<d).map { column[$0] / rms * Double(gain[$0]) }
            let logits = (0..<v).map { t in (0..<d).reduce(0.0) { $0 + Double(head[t * d + $1]) * normed[$1] } }
            let order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            #expect(card.promoted.map(\.id) == Array(order.prefix(20)), "\(id)")
            #expect(card.suppressed.map(\.id) == Array(order.reversed().prefix(20)), "\(id)")
            for t in card.promoted + card.suppressed {
                #expect(abs(Double(t.logit) - logits[t.id]) <= 1e-4 * max(1, abs(logits[t.id])), "\(id) token \(t.id)")
                if t.id >= 259 { #expect(t.text == " w\(t.id)") }   // decoded: "▁w300" is " w300"
            }
            #expect(card.probabilities.map(\.language) == ["en", "fr"])
            #expect(card.neuronClass == nil && card.contexts.isEmpty)
        }
        // The card survives its JSON.
        let back = try NeuronCard(json: try JSONValue.parse(Array(cards[1].json().serialized().utf8)))
        #expect(back == cards[1])
    }

    @Test func neuronIDsParse() throws {
        #expect(try NeuronID(parsing: "17.1234") == NeuronID(layer: 17, neuron: 1234))
        for bad in ["17", "a.b", "1.2.3", "-1.4", ""] { #expect(throws: PipelineError.self) { try NeuronID(parsing: bad) } }
    }
}
