/// A hook name that may select many points: `blocks.*.mlp.hook_act`, `blocks.-1.hook_resid_post`,
/// `blocks.2-5.mlp.hook_act`, `hook_logits`.
///
/// ```swift
/// let points = try HookPattern("blocks.*.mlp.hook_act").points(layerCount: 18)   // 18 points
/// ```
public struct HookPattern: Hashable, Sendable, Codable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    /// The points this pattern selects in a model with `layerCount` blocks.
    public func points(layerCount: Int) throws -> [HookPoint] {
        if let site = HookSite(rawValue: text), !site.isPerLayer { return [HookPoint(site)] }
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "blocks", let expert = Self.expertSpec(parts[2]) {
            return try layers(String(parts[1]), layerCount: layerCount).map { HookPoint(.expertAct, layer: $0, expert: expert) }
        }
        guard parts.count == 3, parts[0] == "blocks", let site = HookSite(rawValue: String(parts[2])),
              site.isPerLayer else {
            throw HookError.unknownName(text, suggestions: Self.suggestions(for: text, layerCount: layerCount))
        }
        return try layers(String(parts[1]), layerCount: layerCount).map { HookPoint(site, layer: $0) }
    }

    /// `mlp.experts.{e}.hook_act` → e; `mlp.experts.*.hook_act` → nil (every expert); otherwise not an expert name.
    private static func expertSpec(_ rest: Substring) -> Int?? {
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "mlp", parts[1] == "experts", parts[3] == "hook_act" else { return nil }
        if parts[2] == "*" { return .some(nil) }
        guard let e = Int(parts[2]), e >= 0 else { return nil }
        return .some(e)
    }

    private func layers(_ spec: String, layerCount: Int) throws -> [Int] {
        if spec == "*" { return Array(0..<layerCount) }
        if let dash = spec.dropFirst().firstIndex(of: "-"),
           let lo = Int(spec[..<dash]), let hi = Int(spec[spec.index(after: dash)...]) {
            return try (resolve(lo, layerCount)...max(resolve(lo, layerCount), resolve(hi, layerCount))).map { $0 }
        }
        guard let layer = Int(spec) else {
            throw HookError.unknownName(text, suggestions: Self.suggestions(for: text, layerCount: layerCount))
        }
        return [try resolve(layer, layerCount)]
    }

    private func resolve(_ layer: Int, _ layerCount: Int) throws -> Int {
        let resolved = layer < 0 ? layerCount + layer : layer
        guard (0..<layerCount).contains(resolved) else {
            throw HookError.layerOutOfRange(text, layer: layer, layerCount: layerCount)
        }
        return resolved
    }

    /// The valid names closest to `name` by edit distance (per-layer names shown with `{l}`).
    static func suggestions(for name: String, layerCount: Int) -> [String] {
        var candidates = HookSite.allCases.filter { !$0.isPerLayer }.map(\.rawValue)
        candidates += HookSite.allCases.filter(\.isPerLayer).map {
            $0 == .expertAct ? "blocks.{l}.mlp.experts.{e}.hook_act" : "blocks.{l}.\($0.rawValue)"
        }
        // Compare with the layer part replaced, so `blocks.3.mlp.hook_akt` finds `blocks.{l}.mlp.hook_act`.
        var normalized = name
        let parts = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "blocks" { normalized = "blocks.{l}.\(parts[2])" }
        let scored = candidates.map { ($0, editDistance(normalized, $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best = scored.first?.1 else { return [] }
        return scored.filter { $0.1 <= best + 1 }.prefix(3).map(\.0)
    }
}

/// Levenshtein distance over characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
