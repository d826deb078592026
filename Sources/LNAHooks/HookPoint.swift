/// One hook point: a site, and a layer for per-layer sites.
///
/// ```swift
/// let p = try HookPoint(parsing: "blocks.3.mlp.hook_act", layerCount: 18)
/// p.name   // "blocks.3.mlp.hook_act"
/// ```
public struct HookPoint: Hashable, Sendable, Codable, CustomStringConvertible {
    public let site: HookSite
    /// The block index for per-layer sites; nil for model-level sites.
    public let layer: Int?
    /// The expert of `expertAct` points; nil elsewhere, and in a pattern's point that selects every expert.
    public let expert: Int?

    public init(_ site: HookSite, layer: Int? = nil, expert: Int? = nil) {
        self.site = site
        self.layer = site.isPerLayer ? layer : nil
        self.expert = site == .expertAct ? expert : nil
    }

    /// The TransformerLens-style name, e.g. `blocks.3.mlp.hook_act`, `blocks.1.mlp.experts.5.hook_act` or
    /// `hook_logits`.
    public var name: String {
        if site == .expertAct, let layer { return "blocks.\(layer).mlp.experts.\(expert.map(String.init) ?? "*").hook_act" }
        if let layer { return "blocks.\(layer).\(site.rawValue)" }
        return site.rawValue
    }

    /// The same point for every expert (how a pattern with `experts.*` is stored).
    public var anyExpert: HookPoint { HookPoint(site, layer: layer) }

    public var description: String { name }

    /// Parses one exact hook name; negative layers count from the end.
    public init(parsing name: String, layerCount: Int) throws {
        let points = try HookPattern(name).points(layerCount: layerCount)
        guard points.count == 1, let only = points.first else {
            throw HookError.notASinglePoint(name)
        }
        self = only
    }

    /// Every hook point of a model with `layerCount` blocks (and `expertCount` experts per MoE layer), in
    /// forward order.
    public static func all(layerCount: Int, expertCount: Int = 0) -> [HookPoint] {
        var points = [HookPoint(.embed)]
        for layer in 0..<layerCount {
            for site in HookSite.allCases where site.isPerLayer && (expertCount > 0 || !site.isExpertSite) {
                if site == .expertAct {
                    for e in 0..<expertCount { points.append(HookPoint(site, layer: layer, expert: e)) }
                } else {
                    points.append(HookPoint(site, layer: layer))
                }
            }
        }
        points.append(HookPoint(.lnFinal))
        points.append(HookPoint(.logits))
        return points
    }
}

/// Errors of hook names and interventions.
public enum HookError: Error, CustomStringConvertible, Equatable {
    case unknownName(String, suggestions: [String])
    case layerOutOfRange(String, layer: Int, layerCount: Int)
    case notASinglePoint(String)
    case invalidIntervention(String)

    public var description: String {
        switch self {
        case let .unknownName(name, suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown hook name '\(name)'\(hint) (see `lna hooks MODEL` for every hook point)"
        case let .layerOutOfRange(name, layer, count):
            return "hook '\(name)': layer \(layer) is out of range for a model with \(count) layers (0..\(count - 1), or -\(count)..-1)"
        case let .notASinglePoint(name):
            return "hook '\(name)' selects several points; name one layer instead of '*'"
        case let .invalidIntervention(why):
            return "invalid intervention: \(why)"
        }
    }
}
