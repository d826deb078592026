import Foundation

/// The llama.cpp golden files of `../shared/reference` (see its README for every field).
public struct ForwardGolden: Decodable, Sendable {
    public struct Values: Decodable, Sendable {
        public let sum_nll_nats: Double
        public let nll: [Double]
        public let argmax_ids: [Int]
        public let last_logsumexp: Double
        public let last_top10_ids: [Int]
        public let last_top10_logits: [Double]
        public let greedy_ids: [Int]
        public let greedy_top1_margins: [Double]
    }

    public struct Text: Decodable, Sendable {
        public let id: String
        public let lang: String
        public let text: String
        public let token_ids: [Int]
        public let pieces: [String]
        public let pieces_concat_equals_text: Bool
        public let sum_nll_nats: Double
        public let nll: [Double]
        public let argmax_ids: [Int]
        public let last_top10_ids: [Int]
        public let greedy_ids: [Int]
        public let f32_dequant: Values
    }

    public let texts: [Text]

    /// Loads `forward_<key>.json` for a model name (`gemma3-270m`, …), or nil (skip) when missing outside CI.
    public static func load(model: String) throws -> ForwardGolden? {
        guard let key = TestResources.goldenKeys[model],
              let url = try TestResources.shared("reference/forward_\(key).json") else { return nil }
        return try JSONDecoder().decode(ForwardGolden.self, from: Data(contentsOf: url))
    }
}

/// The tokenizer-only golden files.
public struct TokenizerGolden: Decodable, Sendable {
    public struct Entry: Decodable, Sendable {
        public let i: Int
        public let source: String
        public let text: String
        public let token_ids: [Int]
        public let pieces: [String]
    }

    public let strings: [Entry]

    public static func load(model: String) throws -> TokenizerGolden? {
        guard let key = TestResources.goldenKeys[model],
              let url = try TestResources.shared("reference/tokenizer_\(key).json") else { return nil }
        return try JSONDecoder().decode(TokenizerGolden.self, from: Data(contentsOf: url))
    }
}
