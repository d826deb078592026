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

    public init(_ site: HookSite, layer: Int? = nil) {
        self.site = site
        self.layer = site.isPerLayer ? layer : nil
    }

    /// The TransformerLens-style name, e.g. `blocks.3.mlp.hook_act` or `hook_logits`.
    public var name: String {
        if let layer { return "blocks.\(layer).\(site.rawValue)" }
        return site.rawValue
    }

    public var description: String { name }

    /// Parses one exact hook name; negative layers count from the end.
    public init(parsing name: String, layerCount: Int) throws {
        let points = try HookPattern(name).points(layerCount: layerCount)
        guard points.count == 1, let only = points.first else {
            throw HookError.notASinglePoint(name)
        }
        self = only
    }

    /// Every hook point of a model with `layerCount` blocks, in forward order.
    public static func all(layerCount: Int) -> [HookPoint] {
        var points = [HookPoint(.embed)]
        for layer in 0..<layerCount {
            for site in HookSite.allCases where site.isPerLayer { points.append(HookPoint(site, layer: layer)) }
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
