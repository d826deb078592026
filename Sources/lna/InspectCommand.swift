import ArgumentParser
import Foundation
import LNAModels
import LNATensor

/// `lna inspect MODEL`: architecture, sizes, quantisation types and tokenizer of a model.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a model's architecture, sizes, weight types and tokenizer.")
    @OptionGroup var modelArgument: ModelArgument
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let m = try modelArgument.load(quiet: json)
        let c = m.config
        if json {
            struct Summary: Encodable {
                let name: String, path: String, config: ModelConfig, tensorTypes: [String: Int], tokenizer: String
                let ignoredTensors: [String: Int], kernels: String, cpu: String
            }
            print(try CLI.json(Summary(name: m.name, path: m.url.path, config: c, tensorTypes: m.tensorTypes,
                                       tokenizer: m.tokenizer.kindDescription, ignoredTensors: m.ignoredTensors,
                                       kernels: KernelSet.active.rawValue, cpu: KernelSet.cpuDescription)))
            return
        }
        let rows: [(String, String)] = [
            ("model", "\(m.name) (\(m.url.path))"),
            ("architecture", c.architecture),
            ("layers", "\(c.layerCount)"),
            ("width (d)", "\(c.hiddenSize)"),
            ("MLP width (neurons per layer)", "\(c.intermediateSize)  → \(c.layerCount * c.intermediateSize) neurons"),
            ("activation", c.activation.rawValue),
            ("heads (q / kv) × head dim", "\(c.headCount) / \(c.kvHeadCount) × \(c.headDim)"),
            ("vocabulary", "\(c.vocabularySize)"),
            ("RoPE base", c.localRopeBase.map { "\(c.ropeBase) global, \($0) local" } ?? "\(c.ropeBase)"),
            ("RoPE scaling", c.ropeScaling.map { "\($0.kind.rawValue) ×\($0.factor)" } ?? "none"),
            ("context length", "\(c.contextLength)"),
            ("sliding window", c.slidingWindow.map { w in
                "\(w) on \(c.slidingWindowLayers.filter { $0 }.count) of \(c.layerCount) layers" } ?? "none"),
            ("tied output", c.tiedEmbeddings ? "yes" : "no"),
            ("block", c.block.summary),
            ("features", [c.embeddingScale.map { String(format: "embedding ×%.3f", $0) },
                          c.logits.scale.map { "logits ×\($0)" }, c.logits.softcap.map { "logit softcap \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")),
            ("weight types", m.tensorTypes.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")),
            ("tokenizer", m.tokenizer.kindDescription),
            ("ignored tensors", m.ignoredTensors.isEmpty ? "none"
                : m.ignoredTensors.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
                    .joined(separator: ", ")),
            ("kernels", KernelSet.summary),
        ]
        for (key, value) in rows { print("\(key.padding(toLength: 30, withPad: " ", startingAt: 0)) \(value)") }
    }
}
