import LNAFormats

/// Reads one model's tensors by role from a `TensorSource`, in the canonical (Hugging Face) layout:
/// q/k rows un-permuted for llama GGUF files, Gemma norm gains as the effective multiplier (1 + w).
struct WeightLoader {
    enum Format: String, Sendable { case gguf, huggingFace }

    let source: TensorSource
    let sourceName: String
    let format: Format
    let architecture: Architecture
    let config: ModelConfig
    /// Where a Hugging Face checkpoint keeps the language model (multimodal wrappers nest it).
    var layout: HFTensorLayout = .textOnly

    func fileName(_ role: WeightRole, layer: Int?) -> String {
        switch format {
        case .gguf: return GGUFNames.name(role, layer: layer)
        case .huggingFace: return layout.name(architecture.hfName(role, layer))
        }
    }

    /// The tensor in canonical layout, shape-checked.
    func load(_ role: WeightRole, layer: Int? = nil) throws -> [Float] {
        let name = fileName(role, layer: layer)
        guard let descriptor = source.descriptor(name) else {
            throw ModelError.missingTensor(name, source: sourceName)
        }
        let expected = role.shape(in: config)
        guard descriptor.shape == expected || (expected.count == 1 && descriptor.elementCount == expected[0]) else {
            throw ModelError.tensorShape(name, source: sourceName, expected: expected, got: descriptor.shape)
        }
        var values = try source.floats(name)
        if format == .gguf && architecture.ggufPermutesQueryKey {
            if role == .query { values = Self.unpermuteRows(values, heads: config.headCount, columns: config.hiddenSize) }
            if role == .key { values = Self.unpermuteRows(values, heads: config.kvHeadCount, columns: config.hiddenSize) }
        }
        if format == .huggingFace && role.isNorm && architecture.hfNormGainOffset != 0 {
            let offset = architecture.hfNormGainOffset
            values = values.map { $0 + offset }
        }
        return values
    }

    /// Every tensor name the configuration expects, for strict verification.
    func expectedNames() -> Set<String> {
        var names = Set<String>()
        for role in WeightRole.allCases where role.isPresent(in: config) {
            if role.isPerLayer {
                for layer in 0..<config.layerCount { names.insert(fileName(role, layer: layer)) }
            } else {
                names.insert(fileName(role, layer: nil))
            }
        }
        return names
    }

    /// Checks the tensor table against the configuration before anything is loaded: every expected tensor is
    /// present with its shape (so sizes in the configuration agree with the file), and every tensor of the file
    /// is read or deliberately ignored by name (a relabelled checkpoint fails here, naming what it has extra).
    func verifyTensors() throws {
        let expected = expectedNames()
        for role in WeightRole.allCases where role.isPresent(in: config) {
            let shape = role.shape(in: config)
            for layer in role.isPerLayer ? Array(0..<config.layerCount) : [0] {
                let name = fileName(role, layer: role.isPerLayer ? layer : nil)
                guard let descriptor = source.descriptor(name) else { throw ModelError.missingTensor(name, source: sourceName) }
                guard descriptor.shape == shape || (shape.count == 1 && descriptor.elementCount == shape[0]) else {
                    throw ModelError.tensorShape(name, source: sourceName, expected: shape, got: descriptor.shape)
                }
            }
        }
        let extra = source.tensorNames.filter { name in
            !expected.contains(name) && !Self.ignorable(name) && !(format == .huggingFace && layout.isIgnored(name))
        }
        if !extra.isEmpty { throw ModelError.unexpectedTensors(extra.sorted(), source: sourceName) }
    }

    /// Tensors that carry no weights the forward needs (recomputed buffers).
    static func ignorable(_ name: String) -> Bool {
        name.hasSuffix("rotary_emb.inv_freq")
    }

    /// Undoes llama.cpp's q/k permutation: GGUF row h·hd + 2i + j holds HF row h·hd + j·hd/2 + i.
    static func unpermuteRows(_ w: [Float], heads: Int, columns: Int) -> [Float] {
        let rows = w.count / columns
        let headDim = rows / heads, half = headDim / 2
        var out = [Float](repeating: 0, count: w.count)
        w.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for h in 0..<heads {
                    for i in 0..<half {
                        for j in 0..<2 {
                            let from = (h * headDim + 2 * i + j) * columns
                            let to = (h * headDim + j * half + i) * columns
                            for c in 0..<columns { dst[to + c] = src[from + c] }
                        }
                    }
                }
            }
        }
        return out
    }
}
