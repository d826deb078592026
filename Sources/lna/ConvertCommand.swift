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

    func run() throws {
        let source = try ModelLocator.resolve(modelArgument.model)
        let target = URL(fileURLWithPath: output)
        try ModelExporter.exportHuggingFace(from: source, to: target, dtype: dtype) { CLI.printError("wrote \($0)") }
        print("converted \(source.lastPathComponent) → \(target.path) (\(dtype.rawValue))")
    }
}

extension ModelExporter.DType: ExpressibleByArgument {}
