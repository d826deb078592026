extension Model {
    /// The output weights of MLP neurons of one layer: column j of `down_proj` (what neuron j adds to the MLP
    /// output per unit of activation) for each j of `neurons`, as `[neurons.count, hiddenSize]` row-major, read
    /// from the checkpoint in canonical layout (dequantised, float32). Through `unembed` this is the neuron's
    /// vocabulary projection.
    ///
    /// ```swift
    /// let columns = try model.mlpOutputColumns(layer: 17, neurons: [1234])   // hiddenSize floats
    /// let logits = try model.unembed(columns)                             // the tokens neuron 17.1234 promotes
    /// ```
    public func mlpOutputColumns(layer: Int, neurons: [Int]) throws -> [Float] {
        let c = config
        guard (0..<c.layerCount).contains(layer) else {
            throw ModelError.invalidConfig(name, "layer \(layer) is outside 0…\(c.layerCount - 1)")
        }
        if let bad = neurons.first(where: { !(0..<c.intermediateSize).contains($0) }) {
            throw ModelError.invalidConfig(name, "neuron \(bad) is outside 0…\(c.intermediateSize - 1) (intermediate size)")
        }
        // Canonical layout [hiddenSize, intermediateSize]: column j is every intermediateSize-th value from j.
        let down = try layers.loader.load(.down, layer: layer)
        let d = c.hiddenSize, width = c.intermediateSize
        var out = [Float](repeating: 0, count: neurons.count * d)
        for (row, j) in neurons.enumerated() {
            for i in 0..<d { out[row * d + i] = down[i * width + j] }
        }
        return out
    }
}
