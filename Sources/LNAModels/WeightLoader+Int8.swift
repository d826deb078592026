import LNAFormats
import LNATensor

extension WeightLoader {
    /// `role`'s GGUF weight repacked for int8 arithmetic (its quantised blocks, rows in canonical order: fused
    /// rows selected, llama's q/k permutation undone), nil when the tensor is not stored in a type the int8
    /// kernels read (F16/F32/BF16 tensors and non-GGUF sources stay float32).
    func int8Linear(_ role: WeightRole, layer: Int, outputs: Int, inputs: Int, bias: [Float]?) throws -> Int8PackedLinear? {
        guard format == .gguf, !role.isNorm, let gguf = source as? GGUFFile else { return nil }
        let name = fileName(role, layer: layer)
        guard let info = gguf.tensorInfo(name), Int8PackedLinear.supports(ggmlType: Int(info.type.rawValue)) else { return nil }
        guard source.descriptor(name)?.shape == storedShape(role), info.rowLength == inputs else {
            throw ModelError.tensorShape(name, source: sourceName, expected: storedShape(role),
                                         got: source.descriptor(name)?.shape ?? [])
        }
        let raw = try gguf.rawBytes(name)
        guard let base = raw.baseAddress, raw.count == info.rowCount * info.rowByteCount else {
            throw ModelError.invalidConfig(name, "tensor data of \(raw.count) bytes, expected \(info.rowCount) rows of \(info.rowByteCount)")
        }
        let storedRows = canonicalRowSources(role, rows: outputs)
        return try Int8PackedLinear(ggmlType: Int(info.type.rawValue), outputs: outputs, inputs: inputs, bias: bias) { o in
            base + storedRows[o] * info.rowByteCount
        }
    }

    /// For each canonical row of `role`, the row of the stored tensor holding it: the inverse of what `load`
    /// does to whole tensors (fused-row selection, then llama's q/k un-permutation).
    func canonicalRowSources(_ role: WeightRole, rows: Int) -> [Int] {
        var selected = Array(0..<rows)
        if let fused = fusedRows(role) { selected = fused.ranges.flatMap { Array($0) } }
        guard architecture.ggufPermutesQueryKey, role == .query || role == .key else { return selected }
        // GGUF row h·hd + 2i + j holds canonical row h·hd + j·hd/2 + i (WeightLoader.unpermuteRows).
        let heads = role == .query ? config.headCount : config.kvHeadCount
        let headDim = rows / heads, half = headDim / 2
        var sources = [Int](repeating: 0, count: rows)
        for h in 0..<heads {
            for i in 0..<half { for j in 0..<2 { sources[h * headDim + j * half + i] = selected[h * headDim + 2 * i + j] } }
        }
        return sources
    }

    /// Whether any layer projection is stored in a type the int8 kernels read.
    func hasInt8Projections() -> Bool {
        guard format == .gguf, let gguf = source as? GGUFFile else { return false }
        let roles: [WeightRole] = [.query, .key, .value, .attentionOutput, .gate, .up, .down]
        return (0..<config.layerCount).contains { l in
            roles.contains { role in
                gguf.tensorInfo(fileName(role, layer: l)).map { Int8PackedLinear.supports(ggmlType: Int($0.type.rawValue)) } ?? false
            }
        }
    }
}

extension ArithmeticPrecision {
    /// Throws when the model cannot be computed in this precision: int8 needs a GGUF file with quantised
    /// projections (the CPU's AVX512_VNNI is `checkAvailable`'s) (Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K).
    func check(_ loader: WeightLoader) throws {
        guard self == .int8 else { return }
        guard loader.hasInt8Projections() else {
            throw ModelError.invalidConfig(loader.sourceName, "--precision int8 multiplies GGUF quantised weights (Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K) and this model has none; use --precision float32")
        }
    }
}
