import ArgumentParser
import Foundation
import LNAModels

/// `lna convert MODEL.gguf --to DIR`: write a Hugging Face directory (config.json, tokenizer.json, safetensors).
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write a model as a Hugging Face directory (config.json, tokenizer.json, model.safetensors).",
        discussion: """
        Weights are dequantised and written in the canonical layout: llama.cpp's q/k permutation undone, Gemma \
        norm gains stored as w (transformers computes 1 + w). Loading the directory gives the same logits as the \
        source file.
        """)
    @OptionGroup var modelArgument: ModelArgument
    @Option(name: .customLong("to"), help: "Output directory.") var output: String
    @Option(help: "Storage type of the matrices: f32 or bf16 (norms and biases stay f32).") var dtype: ModelExporter.DType = .f32
    @Flag(help: "Replace the files of an existing --to folder.") var force = false

    func run() throws {
        let source = try ModelLocator.resolve(try modelArgument.model)
        let target = URL(fileURLWithPath: output)
        if FileManager.default.fileExists(atPath: target.path) && !force {
            throw CLIUsageError("\(CLI.absolutePath(output)) already exists; give --force to overwrite it, or another --to")
        }
        try ModelExporter.exportHuggingFace(from: source, to: target, dtype: dtype)
        for file in ["config.json", "tokenizer.json", "model.safetensors"] {
            let url = target.appendingPathComponent(file)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            CLI.printError(String(format: "wrote %@ (%.1f MB)", CLI.absolutePath(url.path), Double(bytes) / 1e6))
        }
        let name = ModelLocator.knownName(of: source).map { "\($0) (\(source.path))" } ?? source.path
        print("converted \(name) → \(CLI.absolutePath(output)) (\(dtype.rawValue) weights)")
    }
}

extension ModelExporter.DType: ExpressibleByArgument {}
