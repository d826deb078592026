import Foundation
import LNAFormats
import LNAModels
import LNATestSupport
import LNATokenizers

/// One tokenized string of a llama.cpp golden file.
struct GoldenCase {
    let label: String
    let text: String
    let ids: [Int]
    let pieces: [String]
    let piecesConcatEqualsText: Bool
}

enum Goldens {
    /// Every string of `tokenizer_<key>.json` and every text of `forward_<key>.json`, or nil (skip) when missing.
    static func cases(model: String) throws -> [GoldenCase]? {
        let key = TestResources.goldenKeys[model]!
        guard let tokenizerFile = try TestResources.shared("reference/tokenizer_\(key).json"),
              let forwardFile = try TestResources.shared("reference/forward_\(key).json") else { return nil }
        var cases: [GoldenCase] = []
        for (file, listKey) in [(tokenizerFile, "strings"), (forwardFile, "texts")] {
            let root = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
            for (index, entry) in (root[listKey] as! [[String: Any]]).enumerated() {
                cases.append(GoldenCase(
                    label: "\(file.lastPathComponent)#\(index)",
                    text: entry["text"] as! String,
                    ids: (entry["token_ids"] as! [NSNumber]).map(\.intValue),
                    pieces: entry["pieces"] as! [String],
                    piecesConcatEqualsText: (entry["pieces_concat_equals_text"] as? Bool) ?? true))
            }
        }
        return cases
    }

    /// The GGUF tokenizer of a model, or nil (skip) when the model is missing.
    static func tokenizer(model: String) throws -> Tokenizer? {
        guard let url = try TestResources.model(model) else { return nil }
        return try Tokenizer(gguf: GGUFFile(contentsOf: url))
    }

    /// Compares `tokenizer` with the goldens; prints the mismatches and returns how many there were.
    static func mismatches(_ tokenizer: Tokenizer, _ cases: [GoldenCase], label: String,
                           checkPieces: Bool = true) -> Int {
        var count = 0
        for golden in cases {
            let ids = tokenizer.encode(golden.text)
            var problems: [String] = []
            if ids != golden.ids { problems.append("ids \(ids) != \(golden.ids)") }
            if checkPieces && tokenizer.pieces(golden.ids) != golden.pieces { problems.append("pieces differ") }
            if golden.piecesConcatEqualsText && tokenizer.decode(golden.ids) != golden.text {
                problems.append("decode gives \(tokenizer.decode(golden.ids).debugDescription)")
            }
            if !problems.isEmpty {
                count += 1
                if count <= 8 { print("[\(label)] \(golden.label) \(golden.text.debugDescription.prefix(120)): \(problems.joined(separator: "; "))") }
            }
        }
        print("[\(label)] \(count) mismatches of \(cases.count) golden texts")
        return count
    }
}
