import Foundation

/// Scaling of RoPE frequencies for long-context checkpoints, computed exactly as transformers'
/// `modeling_rope_utils` does for each `rope_type`:
/// - `linear`: every frequency divided by `factor`;
/// - `llama3` (Llama 3.1+): low frequencies divided by `factor`, a smooth ramp between the two wavelengths;
/// - `dynamic` (NTK) is refused: beyond `max_position_embeddings` transformers re-derives θ from the longest
///   sequence the model object has seen so far, so its outputs depend on the history of calls;
/// - `yarn`: interpolation/extrapolation ramp between `beta_fast` and `beta_slow`, cos and sin multiplied by
///   `attentionFactor` (0.1·ln(factor) + 1 unless given);
/// - `longrope` (Phi-3): frequencies divided by `short_factor` within `original_max_position_embeddings`,
///   which becomes the context length and the forward refuses longer sequences (transformers would switch every
///   position to `long_factor`), cos and sin multiplied by `attentionFactor`.
///
/// ```swift
/// let scaling = RopeScaling(kind: .linear, factor: 8)
/// let table = RopeScaling.table(dimension: 64, base: 10_000, scaling: scaling)   // 32 frequencies, factor 1
/// ```
public struct RopeScaling: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case linear, llama3, yarn, longrope }
    public var kind: Kind
    public var factor: Double
    public var lowFrequencyFactor: Double = 1
    public var highFrequencyFactor: Double = 4
    public var originalContextLength: Int = 8192
    /// yarn's ramp bounds (in rotations) and whether the bounds are rounded outwards.
    public var betaFast: Double = 32
    public var betaSlow: Double = 1
    public var truncate: Bool = true
    /// longrope: per-pair divisors of the frequencies (`short_factor`).
    public var shortFactor: [Double] = []
    /// Multiplier of cos and sin (yarn, longrope); 1 for the other kinds.
    public var attentionFactor: Double = 1

    public init(kind: Kind, factor: Double, lowFrequencyFactor: Double = 1, highFrequencyFactor: Double = 4,
                originalContextLength: Int = 8192) {
        self.kind = kind
        self.factor = factor
        self.lowFrequencyFactor = lowFrequencyFactor
        self.highFrequencyFactor = highFrequencyFactor
        self.originalContextLength = originalContextLength
    }

    /// The scaling of a decoded `rope_parameters` entry (nil for `default`); `dimension` is the rotary width.
    /// Throws naming the key when the entry cannot be honoured exactly.
    init?(_ p: TransformersConfig.RopeParameters, dimension: Int, maxPositions: Int, source: String) throws {
        func require(_ ok: Bool, _ key: String, _ value: String, _ expected: String) throws {
            if !ok { throw ModelError.configValue(file: source, key: key, value: value, expected: expected) }
        }
        switch p.type {
        case .default:
            return nil
        case .linear:
            self.init(kind: .linear, factor: p.factor ?? 1)
        case .dynamic:
            throw ModelError.configValue(
                file: source, key: "rope_type", value: "dynamic",
                expected: "a RoPE type lna runs exactly (dynamic NTK re-derives θ beyond max_position_embeddings from the longest sequence transformers has seen, so its outputs depend on call history)")
        case .llama3:
            self.init(kind: .llama3, factor: p.factor ?? 1, lowFrequencyFactor: p.lowFreqFactor ?? 1,
                      highFrequencyFactor: p.highFreqFactor ?? 4, originalContextLength: p.originalMaxPositionEmbeddings ?? maxPositions)
        case .yarn:
            let factor = p.factor ?? 1
            self.init(kind: .yarn, factor: factor, originalContextLength: p.originalMaxPositionEmbeddings ?? maxPositions)
            betaFast = p.betaFast ?? 32
            betaSlow = p.betaSlow ?? 1
            truncate = p.truncate ?? true
            if let given = p.attentionFactor {
                attentionFactor = given
            } else if let m = p.mscale, let all = p.mscaleAllDim, m != 0, all != 0 {
                attentionFactor = Self.yarnMScale(factor, m) / Self.yarnMScale(factor, all)
            } else {
                attentionFactor = Self.yarnMScale(factor, 1)
            }
        case .longrope:
            let original = p.originalMaxPositionEmbeddings ?? maxPositions
            let factor = p.factor ?? Double(maxPositions) / Double(original)
            self.init(kind: .longrope, factor: factor, originalContextLength: original)
            shortFactor = p.shortFactor ?? []
            try require(shortFactor.count == dimension / 2, "short_factor", "\(shortFactor.count) values",
                        "\(dimension / 2) values (half the rotary dimension)")
            try require(shortFactor.allSatisfy { $0 > 0 }, "short_factor", "a non-positive value", "positive divisors")
            try require((p.longFactor ?? []).count == dimension / 2, "long_factor", "\(p.longFactor?.count ?? 0) values",
                        "\(dimension / 2) values (half the rotary dimension)")
            attentionFactor = p.attentionFactor
                ?? (factor <= 1 ? 1 : (1 + Foundation.log(factor) / Foundation.log(Double(original))).squareRoot())
        }
    }

    /// The longest sequence the scaled frequencies are exact for, when the kind has one (longrope: the original
    /// context, beyond which transformers switches every position to the long factors).
    var exactContextLimit: Int? {
        kind == .longrope ? originalContextLength : nil
    }

    /// yarn's `get_mscale`: 0.1·m·ln(scale) + 1 for scale > 1.
    static func yarnMScale(_ scale: Double, _ m: Double) -> Double {
        scale <= 1 ? 1 : 0.1 * m * Foundation.log(scale) + 1
    }

    /// Inverse frequencies θ_i = base^(−2i/d) of `dimension` rotary dimensions, scaled.
    static func inverseFrequencies(headDim dimension: Int, base: Double, scaling: RopeScaling?) -> [Double] {
        let plain = (0..<dimension / 2).map { 1 / pow(base, Double(2 * $0) / Double(dimension)) }
        guard let s = scaling else { return plain }
        switch s.kind {
        case .linear: return plain.map { $0 / s.factor }
        case .longrope: return zip(plain, s.shortFactor).map { $0 / $1 }
        case .yarn: return yarnFrequencies(plain, dimension: dimension, base: base, s)
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

    /// yarn: each pair blends the interpolated (f / factor) and the original frequency by a linear ramp over
    /// the pairs between the correction dimensions of `beta_fast` and `beta_slow` rotations.
    private static func yarnFrequencies(_ plain: [Double], dimension: Int, base: Double, _ s: RopeScaling) -> [Double] {
        func correctionDimension(_ rotations: Double) -> Double {
            Double(dimension) * Foundation.log(Double(s.originalContextLength) / (rotations * 2 * Double.pi))
                / (2 * Foundation.log(base))
        }
        var low = correctionDimension(s.betaFast), high = correctionDimension(s.betaSlow)
        if s.truncate { low = low.rounded(.down); high = high.rounded(.up) }
        low = max(low, 0)
        high = min(high, Double(dimension - 1))
        if low == high { high += 0.001 }
        return plain.enumerated().map { i, f in
            let ramp = min(max((Double(i) - low) / (high - low), 0), 1)
            let extrapolation = 1 - ramp
            return f / s.factor * (1 - extrapolation) + f * extrapolation
        }
    }
}

extension ModelConfig {
    /// The longest sequence RoPE is exact for when the scaling has such a limit (longrope), which the forward
    /// enforces; nil when any length runs as transformers runs it.
    public var ropeExactLength: Int? {
        [ropeScaling, localRopeScaling].compactMap { $0?.exactContextLimit }.min()
    }

    /// RoPE inverse frequencies and cos/sin multiplier of layer `layer` (global and sliding layers differ in
    /// Gemma 3). The fast forward and the reference forward both build their rotations from this.
    ///
    /// ```swift
    /// let (frequencies, factor) = model.config.rope(layer: 0)
    /// ```
    public func rope(layer: Int) -> (inverseFrequencies: [Double], attentionFactor: Double) {
        let scaling = ropeScaling(layer: layer)
        return (RopeScaling.inverseFrequencies(headDim: rotaryDimension, base: ropeBase(layer: layer), scaling: scaling),
                scaling?.attentionFactor ?? 1)
    }
}
