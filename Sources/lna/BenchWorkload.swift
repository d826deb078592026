import Foundation
import LNAFiles
import LNAData
import LNARecording
import LNATokenizers

/// The token sequences `lna bench` times: one long sequence (the fixed multilingual paragraph, repeated), the
/// first sentences of one SIB-200 language, or token lists from a JSON file.
///
/// ```swift
/// let w = try BenchWorkload.sib200(path: "/work/shared/datasets/sib200", language: "eng_Latn", split: .train,
///                                  count: 256, tokenizer: model.tokenizer)
/// try w.writeTokenLists(to: URL(fileURLWithPath: "/tmp/lists.json"))   // for scripts/compare-llamacpp-sentences.sh
/// ```
struct BenchWorkload {
    /// Token ids of every sequence, as the model's tokenizer gives them (BOS included where the model adds it).
    let sequences: [[Int]]
    /// A short description for the report (`one sequence`, `256 SIB-200 eng_Latn train sentences`).
    let label: String

    var tokenCount: Int { sequences.reduce(0) { $0 + $1.count } }
    var isSingleSequence: Bool { sequences.count == 1 }

    /// One sequence of `count` tokens (the benchmark paragraph repeated).
    static func long(count: Int, tokenizer: Tokenizer) throws -> BenchWorkload {
        BenchWorkload(sequences: [try BenchTokens.make(count: count, tokenizer: tokenizer)], label: "one sequence")
    }

    /// The first `count` sentences of one SIB-200 language and split, each its own sequence, in file order.
    static func sib200(path: String, language: String, split: DatasetSplit, count: Int,
                       tokenizer: Tokenizer) throws -> BenchWorkload {
        guard count > 0 else { throw CLIError("--sentences \(count): expected ≥ 1") }
        let sets = try Dataset.load(path: path, format: .sib200, languages: [language], split: split)
        guard let texts = sets.first?.texts, !texts.isEmpty else {
            throw CLIError("\(path): no \(language) sentences in the \(split.rawValue) split")
        }
        let chosen = texts.prefix(count)
        let sequences = chosen.map { tokenizer.encode($0) }.filter { !$0.isEmpty }
        return BenchWorkload(sequences: sequences,
                             label: "\(sequences.count) SIB-200 \(language) \(split.rawValue) sentences")
    }

    /// Token lists from a JSON file: an array of arrays of token ids (what `writeTokenLists` writes).
    static func tokenLists(file: String) throws -> BenchWorkload {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CLIError("\(file): cannot read (\(ErrorSentence.sentence(for: error)))")
        }
        let lists: [[Int]]
        do { lists = try JSONDecoder().decode([[Int]].self, from: data) } catch {
            throw CLIError("\(file): expected a JSON array of arrays of token ids, e.g. [[2, 651], [2, 9]]")
        }
        let sequences = lists.filter { !$0.isEmpty }
        guard !sequences.isEmpty else { throw CLIError("\(file): no non-empty token list") }
        return BenchWorkload(sequences: sequences, label: "\(sequences.count) token lists from \(file)")
    }

    /// How `lna activation` packs these sequences (the same `RecordingPlan`, greedy up to `batchTokens` rows per
    /// forward call): the sequence index ranges of each call.
    func packedBatches(batchTokens: Int) -> [Range<Int>] {
        RecordingPlan(sequences: sequences.map { RecordingSequence(tokens: $0) }, batchTokens: batchTokens,
                      shard: .whole).batches
    }

    /// Writes the sequences as a JSON array of token-id arrays, atomically. A single sequence is written as a
    /// plain array (the format `scripts/compare-llamacpp.sh` has always read).
    func writeTokenLists(to url: URL) throws {
        let text = isSingleSequence ? try CLI.json(sequences[0]) : try CLI.json(sequences)
        do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
            throw CLIError("\(url.path): cannot write the token lists (\(ErrorSentence.sentence(for: error)))")
        }
    }
}

/// The benchmark's fixed tokens: a multilingual paragraph, tokenized and repeated to the length asked.
enum BenchTokens {
    static let text = """
    The weather was warm, so we walked to the market and bought bread, cheese and fresh fruit. \
    El tiempo era cálido, así que fuimos al mercado. Le temps était doux et nous avons marché jusqu'au marché. \
    Das Wetter war warm, also gingen wir zum Markt. 天气很暖和，所以我们走路去市场买了面包和水果。 \
    天気が良かったので、私たちは市場まで歩きました。 Погода была тёплой, и мы пошли на рынок пешком. 
    """

    static func make(count: Int, tokenizer: Tokenizer) throws -> [Int] {
        let ids = tokenizer.encode(text)
        guard !ids.isEmpty, count > 0 else { throw CLIError("--tokens must be positive") }
        var out: [Int] = []
        while out.count < count { out += ids }
        return Array(out.prefix(count))
    }
}
