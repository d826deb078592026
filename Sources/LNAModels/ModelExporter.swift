import Foundation
import LNAFormats

/// Writes a model in the Hugging Face layout (`config.json`, `tokenizer.json`, `model.safetensors`), from any
/// source lna reads. Used by `lna convert`; it also proves that the GGUF and safetensors loaders meet in one
/// canonical layout (the tests compare the logits of both).
///
/// ```swift
/// try ModelExporter.exportHuggingFace(from: URL(fileURLWithPath: "m.gguf"), to: URL(fileURLWithPath: "m-hf"), dtype: .f32)
/// ```
public enum ModelExporter {
    public enum DType: String, Sendable, CaseIterable { case f32, bf16 }

    public static func exportHuggingFace(from source: URL, to directory: URL, dtype: DType,
                                         progress: ((String) -> Void)? = nil) throws {
        let file = try ModelFile.open(source)
        let tokenizer = try ModelTokenizer.load(file: file)
        // Refused before anything is written (a family whose config.json lna cannot write).
        let exported = try TransformersConfig(exporting: file.config, bosID: tokenizer.bosID, eosID: tokenizer.eosID,
                                              dtype: dtype == .bf16 ? "bfloat16" : "float32")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = file.config
        var writer = SafeTensorsWriter(metadata: ["format": "pt", "converted_by": "lna", "source": source.lastPathComponent])
        let arch = file.loader.architecture
        let offset = config.block.norm.storedGainOffset
        var fused: [String: [(rows: Range<Int>, values: [Float], columns: Int)]] = [:]
        for role in WeightRole.allCases where role.isPresent(in: config) {
            let layers: [Int?] = role.isPerLayer ? (0..<config.layerCount).map { $0 } : [nil]
            for layer in layers {
                var values = try file.loader.load(role, layer: layer)
                if role.isNorm && offset != 0 { values = values.map { $0 - offset } }
                let shape = role.shape(in: config), name = arch.hfName(role, layer)
                if let rows = arch.fusedRows(role, config) {
                    // Parts of a fused tensor (Phi-3 qkv_proj) are written once all of them are loaded.
                    fused[name, default: []].append((rows.ranges[0], values, shape[1]))  // one range: rotary families
                    if fused[name]!.map(\.rows.count).reduce(0, +) == rows.totalRows {
                        let parts = fused.removeValue(forKey: name)!.sorted { $0.rows.lowerBound < $1.rows.lowerBound }
                        try writer.add(name, parts.flatMap(\.values), shape: [rows.totalRows, shape[1]],
                                       as: dtype == .bf16 ? .bf16 : .f32)
                    }
                    continue
                }
                try writer.add(name, values, shape: shape, as: dtype == .bf16 && shape.count > 1 ? .bf16 : .f32)
            }
            progress?(role.rawValue)
        }
        try writer.write(to: directory.appendingPathComponent("model.safetensors"))
        try AtomicFileWriter.write(exported.jsonData(), to: directory.appendingPathComponent("config.json"))
        try AtomicFileWriter.write(Data(tokenizer.vocabulary.huggingFaceTokenizerJSON().utf8),
                                   to: directory.appendingPathComponent("tokenizer.json"))
    }
}
