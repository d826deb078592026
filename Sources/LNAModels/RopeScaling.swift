import Foundation

/// Scaling of RoPE frequencies for long-context checkpoints (Llama 3.1 `llama3`, linear).
public struct RopeScaling: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case linear, llama3 }
    public var kind: Kind
    public var factor: Double
    public var lowFrequencyFactor: Double = 1
    public var highFrequencyFactor: Double = 4
    public var originalContextLength: Int = 8192

    /// The scaling of a `config.json`: pre-v5 `rope_scaling`, or transformers 5's `rope_parameters`.
    static func fromHF(_ v: ConfigValues, prefixes: [String] = ["rope_scaling.", "rope_parameters."]) throws -> RopeScaling? {
        for p in prefixes {
            guard let type = v.optionalString(p + "rope_type") ?? v.optionalString(p + "type"), type != "default"
            else { continue }
            guard type == "linear" || type == "llama3" else {
                throw ModelError.invalidConfig(v.sourceName, "\(p)rope_type '\(type)' is not supported (linear, llama3)")
            }
            guard let factor = v.optionalDouble(p + "factor") else {
                throw ModelError.invalidConfig(v.sourceName, "\(p)rope_type '\(type)' needs \(p)factor")
            }
            switch type {
            case "linear": return RopeScaling(kind: .linear, factor: factor)
            case "llama3":
                return RopeScaling(
                    kind: .llama3, factor: factor,
                    lowFrequencyFactor: v.optionalDouble(p + "low_freq_factor") ?? 1,
                    highFrequencyFactor: v.optionalDouble(p + "high_freq_factor") ?? 4,
                    originalContextLength: v.optionalInt(p + "original_max_position_embeddings") ?? 8192)
            default: return nil
            }
        }
        return nil
    }

    static func fromGGUF(_ v: ConfigValues, prefix: String) -> RopeScaling? {
        guard v.optionalString(prefix + "rope.scaling.type") == "linear",
              let factor = v.optionalDouble(prefix + "rope.scaling.factor"), factor != 1 else { return nil }
        return RopeScaling(kind: .linear, factor: factor)
    }

    /// Inverse frequencies θ_i = base^(−2i/d), scaled.
    static func inverseFrequencies(headDim: Int, base: Double, scaling: RopeScaling?) -> [Double] {
        let plain = (0..<headDim / 2).map { 1 / pow(base, Double(2 * $0) / Double(headDim)) }
        guard let s = scaling else { return plain }
        switch s.kind {
        case .linear: return plain.map { $0 / s.factor }
        case .llama3:
            let lowWavelength = Double(s.originalContextLength) / s.lowFrequencyFactor
            let highWavelength = Double(s.originalContextLength) / s.highFrequencyFactor
            return plain.map { f in
                let wavelength = 2 * Double.pi / f
                if wavelength < highWavelength { return f }
                if wavelength > lowWavelength { return f / s.factor }
                let smooth = (Double(s.originalContextLength) / wavelength - s.lowFrequencyFactor)
                    / (s.highFrequencyFactor - s.lowFrequencyFactor)
                return (1 - smooth) * f / s.factor + smooth * f
            }
        }
    }
}
