extension WeightLoader {
    /// Rows `rows` of a matrix tensor (`[outputs, inputs]`, e.g. the token embedding or the LM head) in canonical
    /// layout, `rows.count × inputs` floats, shape-checked; only those rows are dequantised. Not for the q/k
    /// projections of llama GGUF files (their rows are permuted across heads: use `load`).
    ///
    /// ```swift
    /// let block = try loader.loadRows(.tokenEmbedding, rows: 0..<4096)
    /// ```
    func loadRows(_ role: WeightRole, rows: Range<Int>) throws -> [Float] {
        let name = fileName(role, layer: nil)
        guard let descriptor = source.descriptor(name) else {
            throw ModelError.missingTensor(name, source: sourceName)
        }
        let expected = role.shape(in: config)
        guard descriptor.shape == expected, expected.count == 2 else {
            throw ModelError.tensorShape(name, source: sourceName, expected: expected, got: descriptor.shape)
        }
        if format == .gguf && architecture.ggufPermutesQueryKey && (role == .query || role == .key) || fusedRows(role) != nil {
            throw ModelError.invalidConfig(name, "loadRows cannot read permuted q/k rows; load the whole tensor")
        }
        return try source.dequantizeRows(name, rows: Array(rows))
    }
}
