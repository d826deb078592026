import Foundation
import LNAAnalysis
import LNAData
import LNAFormats
import LNATokenizers

/// The file readers lna exposes to files from elsewhere, each driven end to end from one byte string, as the
/// fuzzers (`scripts/fuzz.sh`) and the replay test (`FuzzReplayTests`) both run them.
///
/// A run ends in `.value` (the reader accepted the bytes and everything derived from them was computed) or
/// `.error` (a thrown error's one-line message). A trap, a hang or a runaway allocation is a bug in the reader.
///
/// ```swift
/// let harness = try FuzzHarness(scratch: FileManager.default.temporaryDirectory)
/// harness.run(.gguf, Array(try Data(contentsOf: url)))   // .value or .error("x.gguf: …")
/// ```
public enum FuzzReader: String, CaseIterable, Sendable {
    /// GGUF header, metadata, tensor table, and every tensor dequantised.
    case gguf
    /// A safetensors file (tensors read as floats, doubles and int64), or a `model.safetensors.index.json`
    /// (input starting with `{`) opened with a valid shard beside it.
    case safetensors
    /// config.json at the JSON level: the parser and `HFConfig`'s typed accessors.
    case config
    /// tokenizer.json: vocabulary import, tokenizer construction, an encode and a decode.
    case tokenizer
    /// A `torch.save` archive: zip directory, pickle, every tensor's values, and the original-file readers.
    case torch
    /// An lna statistics file (`.safetensors`), merged with itself as `lna merge` does.
    case statistics
    /// A masks file: `masks.json` (input starting with `{`), a `.pth` mask list (`PK`), else `masks.safetensors`;
    /// then the per-class summary a report computes.
    case masks
    /// A dataset file, its format chosen by its first bytes: NJUNLP JSON array (`[`), MSVAMP JSON lines (`{`),
    /// SIB-200 TSV (`index_id`), MGSM TSV (a tab in the first line), else plain text.
    case dataset
}

/// What a reader made of one input.
public enum FuzzOutcome: Equatable, Sendable {
    case value
    case error(String)
}
