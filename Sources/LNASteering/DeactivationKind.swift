/// How the neurons of a deactivated language are switched off (Gurgurov et al., METHODS §3.5 and the
/// `fallbacks.py` methods).
///
/// ```swift
/// try DeactivationKind(parsing: "value:-1.5")   // .value(-1.5): a[D] = −1.5 (Gurgurov's "negative")
/// try DeactivationKind(parsing: "mask")         // .scale(-0.1): a[D] *= −0.1
/// DeactivationKind.zero.description             // "zero"
/// ```
public enum DeactivationKind: Codable, Sendable, Equatable, CustomStringConvertible {
    /// a[D] = 0 (Tang's masking, Gurgurov's `2.2-generate.sh`).
    case zero
    /// a[D] = s_d (Gurgurov's default `negative` with s_d = −1).
    case value(Float)
    /// a[D] = f · a[D] (`mask` is f = −0.1).
    case scale(Float)
    /// a[D] = −a[D].
    case invert

    /// Parses `zero`, `value:S`, `scale:F`, `invert`, and the Gurgurov names `negative` (value:-1) and
    /// `mask` (scale:-0.1).
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        func number() throws -> Float {
            guard parts.count == 2, let v = Float(parts[1]), v.isFinite else {
                throw SteeringError.invalidOption("deactivation '\(text)': expected \(parts[0]):NUMBER, e.g. \(parts[0]):-1")
            }
            return v
        }
        switch parts.first ?? "" {
        case "zero" where parts.count == 1: self = .zero
        case "invert" where parts.count == 1: self = .invert
        case "negative" where parts.count == 1: self = .value(-1)
        case "mask" where parts.count == 1: self = .scale(-0.1)
        case "value": self = .value(try number())
        case "scale": self = .scale(try number())
        default:
            throw SteeringError.invalidOption("deactivation '\(text)': expected zero, value:S, scale:F, invert, negative or mask")
        }
    }

    /// Encoded as its command-line spelling (`"value:-1.0"`), not Swift's enum encoding.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        switch self {
        case .zero: return "zero"
        case let .value(v): return "value:\(v)"
        case let .scale(f): return "scale:\(f)"
        case .invert: return "invert"
        }
    }
}

/// How the target language's neurons are boosted, with μ[ℓ,j,k] the mean activation of neuron j of layer ℓ on
/// language k (METHODS §3.5).
///
/// ```swift
/// ActivationMethod(rawValue: "diffmean")   // .diffmean: a[A] += α · (μ_tgt − mean_{k≠tgt} μ_k)
/// ```
public enum ActivationMethod: String, Codable, Sendable, CaseIterable {
    /// a[A] += α · μ_tgt
    case additive
    /// a[A] = μ_tgt (Tang-style baseline; α is ignored)
    case replacement
    /// a[A] += α · (μ_tgt − mean of μ over the other languages); α = 1 is Gurgurov's formula.
    case diffmean
}

/// Which token positions an intervention touches.
///
/// ```swift
/// SteeringPositions(rawValue: "generated")  // only the decode steps, not the prompt
/// ```
public enum SteeringPositions: String, Codable, Sendable, CaseIterable {
    /// Prompt and generated tokens (Gurgurov: every position of every forward pass).
    case all
    /// Prompt (prefill) tokens only.
    case prompt
    /// Generated tokens only.
    case generated
}
