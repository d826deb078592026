import LNAFormats

/// Reads one model's tensors by role from a `TensorSource`, in the canonical (Hugging Face, unfused) layout:
/// q/k rows un-permuted for llama GGUF files, fused tensors split (Phi-3 `qkv_proj`), norm gains as the
/// effective multiplier (Gemma: 1 + w).
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
        case .gguf: return architecture.ggufName(role, layer)
        case .huggingFace: return layout.name(architecture.hfName(role, layer))
        }
    }

    /// The rows of a fused tensor that hold `role`, nil when the role has a tensor of its own.
    func fusedRows(_ role: WeightRole) -> FusedRows? { architecture.fusedRows(role, config) }

    /// The tensor in canonical layout, shape-checked.
    func load(_ role: WeightRole, layer: Int? = nil) throws -> [Float] {
        let name = fileName(role, layer: layer)
        guard let descriptor = source.descriptor(name) else {
            throw ModelError.missingTensor(name, source: sourceName)
        }
        let expected = role.shape(in: config)
        var values: [Float]
        if let fused = fusedRows(role) {
            let whole = [fused.totalRows, expected[1]]
            guard descriptor.shape == whole else {
                throw ModelError.tensorShape(name, source: sourceName, expected: whole, got: descriptor.shape)
            }
            values = Array(try source.floats(name)[(fused.rows.lowerBound * whole[1])..<(fused.rows.upperBound * whole[1])])
        } else {
            guard descriptor.shape == expected || descriptor.elementCount == expected.reduce(1, *)
                    && (expected.count == 1 || descriptor.shape.count == 1) else {
                throw ModelError.tensorShape(name, source: sourceName, expected: expected, got: descriptor.shape)
            }
            values = try source.floats(name)
        }
        if format == .gguf && architecture.ggufPermutesQueryKey {
            if role == .query { values = Self.unpermuteRows(values, heads: config.headCount, columns: config.hiddenSize) }
            if role == .key { values = Self.unpermuteRows(values, heads: config.kvHeadCount, columns: config.hiddenSize) }
        }
        let offset = config.block.norm.storedGainOffset
        if format == .huggingFace && role.isNorm && offset != 0 { values = values.map { $0 + offset } }
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
            let fused = fusedRows(role).map { [$0.totalRows, shape[1]] }
            for layer in role.isPerLayer ? Array(0..<config.layerCount) : [0] {
                let name = fileName(role, layer: role.isPerLayer ? layer : nil)
                guard let descriptor = source.descriptor(name) else { throw ModelError.missingTensor(name, source: sourceName) }
                guard descriptor.shape == (fused ?? shape)
                        || (descriptor.elementCount == shape.reduce(1, *) && (shape.count == 1 || descriptor.shape.count == 1))
                else {
                    throw ModelError.tensorShape(name, source: sourceName, expected: fused ?? shape, got: descriptor.shape)
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
