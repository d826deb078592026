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
    func fusedRows(_ role: WeightRole) -> FusedRows? {
        if format == .gguf, let gguf = architecture.ggufFusedRows { return gguf(role, config) }
        return architecture.fusedRows(role, config)
    }

    /// The shape of `role`'s tensor in the file: the whole fused tensor, `[inputs, outputs]` when stored transposed.
    func storedShape(_ role: WeightRole) -> [Int] {
        var shape = role.shape(in: config)
        if let fused = fusedRows(role) { shape[0] = fused.totalRows }
        if isTransposed(role) { shape.reverse() }
        return shape
    }

    /// Whether the file keeps `role` as `[inputs, outputs]` (GPT-2's `Conv1D`).
    func isTransposed(_ role: WeightRole) -> Bool {
        format == .huggingFace && architecture.hfStoresTransposed(role)
    }

    /// Whether a tensor of `shape` is what `role` needs: the stored shape, or (for plain tensors) the same
    /// number of elements where one side is a vector.
    private func accepts(_ shape: [Int], for role: WeightRole) -> Bool {
        let stored = storedShape(role), expected = role.shape(in: config)
        if shape == stored { return true }
        guard fusedRows(role) == nil, !isTransposed(role) else { return false }
        return shape.reduce(1, *) == expected.reduce(1, *) && (expected.count == 1 || shape.count == 1)
    }

    /// The tensor in canonical layout, shape-checked.
    func load(_ role: WeightRole, layer: Int? = nil) throws -> [Float] {
        let name = fileName(role, layer: layer)
        guard let descriptor = source.descriptor(name) else {
            throw ModelError.missingTensor(name, source: sourceName)
        }
        let expected = role.shape(in: config)
        guard accepts(descriptor.shape, for: role) else {
            throw ModelError.tensorShape(name, source: sourceName, expected: storedShape(role), got: descriptor.shape)
        }
        var values = try source.floats(name)
        if isTransposed(role) {
            let stored = storedShape(role)
            values = Self.transpose(values, rows: stored[0], columns: stored.count == 2 ? stored[1] : 1)
        }
        if let fused = fusedRows(role) { values = fused.select(values, columns: expected.count == 2 ? expected[1] : 1) }
        if format == .gguf && architecture.ggufPermutesQueryKey {
            if role == .query { values = Self.unpermuteRows(values, heads: config.headCount, columns: config.hiddenSize) }
            if role == .key { values = Self.unpermuteRows(values, heads: config.kvHeadCount, columns: config.hiddenSize) }
        }
        let offset = config.block.norm.storedGainOffset
        if format == .huggingFace && role.isNorm && offset != 0 { values = values.map { $0 + offset } }
        return values
    }

    /// The name of expert `expert`'s matrix in layer `layer` (GGUF: the layer's 3-D tensor of all experts).
    func expertFileName(_ tensor: ExpertTensor, layer: Int, expert: Int) -> String {
        switch format {
        case .gguf: return GGUFNames.expertName(tensor, layer: layer)
        case .huggingFace: return layout.name(architecture.hfExpertName(tensor, layer, expert))
        }
    }

    /// Expert `expert`'s matrix of layer `layer`, `[outputs, inputs]` row-major, shape-checked.
    func loadExpert(_ tensor: ExpertTensor, layer: Int, expert: Int) throws -> [Float] {
        guard case let .experts(e) = config.block.mlp else {
            throw ModelError.invalidConfig(sourceName, "expert weights asked of a model without experts")
        }
        let name = expertFileName(tensor, layer: layer, expert: expert)
        guard let descriptor = source.descriptor(name) else { throw ModelError.missingTensor(name, source: sourceName) }
        let shape = tensor.shape(in: config, width: e.width)
        switch format {
        case .huggingFace:
            guard descriptor.shape == shape else {
                throw ModelError.tensorShape(name, source: sourceName, expected: shape, got: descriptor.shape)
            }
            return try source.floats(name)
        case .gguf:
            let merged = [e.count] + shape
            guard descriptor.shape == merged else {
                throw ModelError.tensorShape(name, source: sourceName, expected: merged, got: descriptor.shape)
            }
            let size = shape[0] * shape[1]
            return Array(try source.floats(name)[(expert * size)..<((expert + 1) * size)])
        }
    }

    /// Every expert tensor name of the routed layers, with the shape the file must give it.
    func expectedExpertTensors() -> [String: [Int]] {
        guard case let .experts(e) = config.block.mlp else { return [:] }
        var tensors: [String: [Int]] = [:]
        for layer in 0..<config.layerCount where e.routes(layer: layer) {
            for tensor in ExpertTensor.allCases {
                let shape = tensor.shape(in: config, width: e.width)
                switch format {
                case .huggingFace:
                    for expert in 0..<e.count { tensors[expertFileName(tensor, layer: layer, expert: expert)] = shape }
                case .gguf:
                    tensors[expertFileName(tensor, layer: layer, expert: 0)] = [e.count] + shape
                }
            }
        }
        return tensors
    }

    /// `[rows, columns]` → `[columns, rows]`.
    static func transpose(_ w: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: w.count)
        for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = w[r * columns + c] } }
        return out
    }

    /// Every tensor name the configuration expects, for strict verification.
    func expectedNames() -> Set<String> {
        var names = Set(expectedExpertTensors().keys)
        for role in WeightRole.allCases {
            if role.isPerLayer {
                for layer in 0..<config.layerCount where role.isPresent(in: config, layer: layer) {
                    names.insert(fileName(role, layer: layer))
                }
            } else if role.isPresent(in: config) {
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
        for role in WeightRole.allCases {
            for layer in role.isPerLayer ? Array(0..<config.layerCount) : [0] {
                let layer = role.isPerLayer ? layer : nil
                guard role.isPresent(in: config, layer: layer) else { continue }
                let name = fileName(role, layer: layer)
                guard let descriptor = source.descriptor(name) else { throw ModelError.missingTensor(name, source: sourceName) }
                guard accepts(descriptor.shape, for: role) else {
                    throw ModelError.tensorShape(name, source: sourceName, expected: storedShape(role), got: descriptor.shape)
                }
            }
        }
        for (name, shape) in expectedExpertTensors() {
            guard let descriptor = source.descriptor(name) else { throw ModelError.missingTensor(name, source: sourceName) }
            guard descriptor.shape == shape else {
                throw ModelError.tensorShape(name, source: sourceName, expected: shape, got: descriptor.shape)
            }
        }
        let extra = source.tensorNames.filter { name in
            !expected.contains(name) && !Self.ignorable(name) && !(format == .huggingFace && layout.isIgnored(name))
        }
        if !extra.isEmpty { throw ModelError.unexpectedTensors(extra.sorted(), source: sourceName) }
    }

    /// Tensors that carry no weights the forward needs (recomputed buffers).
    static func ignorable(_ name: String) -> Bool {
        // GPT-2 checkpoints written by old transformers carry the causal-mask buffers `attn.bias`/`attn.masked_bias`.
        name.hasSuffix("rotary_emb.inv_freq") || name.hasSuffix(".attn.masked_bias")
            || (name.hasSuffix(".attn.bias") && !name.contains("c_attn"))
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
