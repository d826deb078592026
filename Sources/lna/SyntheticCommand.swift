import ArgumentParser
import Foundation
import LNAFormats
import LNAModels

/// `lna synthetic mistral-7b --out DIR`: writes a random bf16 Hugging Face checkpoint of a real model's shape,
/// to measure load time, memory and speed of models too large to ship (see docs/performance.md); with
/// `--format gguf`, the same model as one GGUF file that llama.cpp runs too.
struct SyntheticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic",
        abstract: "Write a random bf16 Hugging Face checkpoint of a known shape (mistral-7b: ~14.5 GB) for benchmarks.",
        discussion: """
            The folder gets config.json (MistralForCausalLM, torch_dtype bfloat16), sharded bf16 safetensors with \
            model.safetensors.index.json, and the tokenizer.json of --tokenizer (its vocabulary sets vocab_size). \
            Written one tensor at a time, atomically (a temporary folder renamed into place). With --format gguf \
            the same weights (same --seed) go into one GGUF file of architecture llama, as llama.cpp's converter \
            writes Mistral (q/k rows permuted, norms f32, the tokenizer's tokenizer.ggml keys; --tokenizer must \
            then be a GGUF model), so llama.cpp and lna run the same model. Then, e.g.:
              lna synthetic mistral-7b --out ~/.cache/lna/synthetic/mistral-7b
              /usr/bin/time -v lna activation -m ~/.cache/lna/synthetic/mistral-7b -l en,zh,fr -d builtin --out /tmp/acts
              rm -r ~/.cache/lna/synthetic/mistral-7b
            """)

    @Argument(help: "Shape: \(SyntheticCheckpoint.Shape.named.keys.sorted().joined(separator: ", ")).")
    var shape: String
    @Option(help: "Output folder, or file for gguf (must not exist). Default: ~/.cache/lna/synthetic/<shape>[.gguf].")
    var out: String?
    @Option(help: "hf (a Hugging Face folder) or gguf (one file).")
    var format: Format = .hf
    @Option(name: .customLong("gguf-type"), help: "Matrix type of --format gguf: bf16, or q8_0 (quantised from the same bf16 values).")
    var ggufType: GGUFMatrixType = .bf16
    @Option(help: "Model whose tokenizer to export (a known name, .gguf or HF folder).")
    var tokenizer = "smollm2-135m"
    @Option(help: "Number of layers (default: the shape's).")
    var layers: Int?
    @Option(help: "Random seed.")
    var seed: UInt64 = 1
    @Option(name: .customLong("shard-mib"), help: "Largest shard, in MiB.")
    var shardMiB = 2048

    enum Format: String, ExpressibleByArgument, CaseIterable { case hf, gguf }
    enum GGUFMatrixType: String, ExpressibleByArgument, CaseIterable { case bf16, q8_0 }

    func run() throws {
        guard var chosen = SyntheticCheckpoint.Shape.named[shape] else {
            throw ValidationError("unknown shape '\(shape)'; known: \(SyntheticCheckpoint.Shape.named.keys.sorted().joined(separator: ", "))")
        }
        if let layers {
            guard layers > 0 else { throw ValidationError("--layers must be positive") }
            chosen.layerCount = layers
        }
        let suffix = format == .gguf ? ".gguf" : ""
        let directory = out.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/lna/synthetic/\(shape)\(suffix)")
        let vocabulary = try ModelTokenizer.load(tokenizer).vocabulary
        let bf16Bytes = SyntheticCheckpoint.weightBytes(chosen, vocabularySize: vocabulary.tokens.count)
        let bytes = format == .gguf && ggufType == .q8_0 ? bf16Bytes / 64 * 34 : bf16Bytes   // 34 bytes per 32 weights
        CLI.printError(String(format: "writing %@ (%d layers, vocabulary %d from %@): %.1f GB", directory.path,
                              chosen.layerCount, vocabulary.tokens.count, tokenizer, Double(bytes) / 1e9))
        let start = Date()
        switch format {
        case .hf:
            try SyntheticCheckpoint.write(chosen, tokenizer: vocabulary, to: directory, seed: seed,
                                          maxShardBytes: max(1, shardMiB) << 20) { CLI.printError("  " + $0) }
        case .gguf:
            try SyntheticCheckpoint.writeGGUF(chosen, tokenizer: vocabulary, tokenizerSource: tokenizer, to: directory,
                                              seed: seed, matrixType: ggufType == .q8_0 ? .q8_0 : .bf16) { CLI.printError("  " + $0) }
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "%@: %.1f GB in %.0f s (%.0f MB/s)", directory.path, Double(bytes) / 1e9, seconds,
                     Double(bytes) / 1e6 / seconds))
    }
}
