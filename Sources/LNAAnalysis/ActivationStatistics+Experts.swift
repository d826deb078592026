/// Routed-expert neurons (`--site blocks.{l}.mlp.experts.hook_act`): neuron (ℓ, e, j) is column e·W + j of an
/// `[L, E·W]` file (expert-major), counted over the tokens routed to expert e, so its probability and mean divide
/// by `routing_counts[ℓ, e]` instead of `total_tokens` (docs/methods.md, "Experts").
///
/// ```swift
/// stats.expertWidth          // 48 for a file of the tiny Mixtral's expert neurons, nil for a dense file
/// stats.tokenCounts(stats.full)[l * stats.width + c]   // the denominator of neuron c of layer l
/// ```
extension ActivationStatistics {
    /// Metadata value of `neuron_unit` for expert neurons.
    public static let routedTokenUnit = "routed-token"

    /// Whether the file counts expert neurons over their routed tokens.
    public var countsRoutedTokens: Bool { metadata.extra["neuron_unit"] == Self.routedTokenUnit }

    /// Neurons per expert (W) for expert-neuron files, nil for dense files.
    public var expertWidth: Int? {
        countsRoutedTokens ? metadata.extra["expert_width"].flatMap { Int($0) } : nil
    }

    /// Experts per layer (E) for expert-neuron files, nil for dense files.
    public var expertCount: Int? { expertWidth.map { metadata.width / $0 } }

    /// The tokens each neuron was counted over, row-major `[layers, width]`: `total_tokens` for every neuron of a
    /// dense file, `routing_counts[ℓ, e]` for neuron (ℓ, e, j) of an expert-neuron file.
    public func tokenCounts(_ counts: ActivationCounts) -> [Int64] {
        guard let w = expertWidth, let routing = counts.routing else {
            return [Int64](repeating: counts.totalTokens, count: metadata.layers * metadata.width)
        }
        return routing.neuronTokens(expertWidth: w)
    }

    /// Checks the expert metadata against the shape: W divides the width, routing exists for every population
    /// and has E = width / W experts (`RoutingCounts.validate` checks its layers).
    func validateExperts(source: String) throws {
        guard countsRoutedTokens else { return }
        guard let w = expertWidth, w > 0, metadata.width % w == 0 else {
            throw AnalysisError.invalidValue("\(source): neuron_unit is \(Self.routedTokenUnit) but __metadata__.expert_width is \(metadata.extra["expert_width"] ?? "missing"); expected a divisor of the width \(metadata.width)")
        }
        for (label, counts) in [("", full), ("prefix_", prefix)] {
            guard let counts else { continue }
            guard let routing = counts.routing else {
                throw AnalysisError.missing("\(source): expert neurons need \(label)routing_counts (their token counts)")
            }
            guard routing.experts * w == metadata.width else {
                throw AnalysisError.shapeMismatch("\(source): \(routing.experts) experts × expert_width \(w) ≠ width \(metadata.width)")
            }
        }
    }
}
