import Foundation
import LNAAnalysis
import LNAPerplexity
import LNASteering

/// One row of an evaluation grid: a label and, per column language, the plan applied while evaluating that
/// column (a steering plan may depend on the column: "steer toward the column's language").
///
/// ```swift
/// let rows = [EvalRow.baseline(columns: ["en", "fr"], layers: 18, width: 2048)]
///     + (try EvalRow.deactivations(of: ["fr"], classes: .specific, value: 0, masks: masks, columns: ["en", "fr"]))
/// ```
public struct EvalRow: Codable, Sendable, Equatable {
    /// "none" for the baseline, else e.g. "fr (specific)" or "steer {lang}+mean".
    public var label: String
    /// Column language → plan (an empty plan is the unmodified model).
    public var plans: [String: SteeringPlan]

    public init(label: String, plans: [String: SteeringPlan]) {
        self.label = label
        self.plans = plans
    }

    public static let baselineLabel = "none"

    public static func baseline(columns: [String], layers: Int, width: Int) -> EvalRow {
        EvalRow(label: baselineLabel, plans: Dictionary(uniqueKeysWithValues: columns.map { ($0, SteeringPlan.none(layers: layers, width: width)) }))
    }

    /// One row per language: its neurons of `classes` set to `value` at every position of every column, as
    /// `lna ppl` deactivates them (`DeactivationClasses`, `DeactivationHooks`).
    public static func deactivations(of languages: [String], classes: DeactivationClasses, value: Float, masks: MaskSet,
                                     columns: [String]) throws -> [EvalRow] {
        try languages.map { language in
            let lists = try classes.layerLists(of: language, in: masks)
            let plan = SteeringPlan(request: SteeringRequest(deactivate: [language], deactivation: value == 0 ? .zero : .value(value)),
                                    layers: masks.layers, width: masks.width,
                                    interventions: DeactivationHooks.interventions(layerLists: lists, value: value))
            return EvalRow(label: "\(language) (\(classes.rawValue))",
                           plans: Dictionary(uniqueKeysWithValues: columns.map { ($0, plan) }))
        }
    }

    /// A steering row from a specification (`SteeringSpec`); `{lang}` in it stands for the column's language.
    public static func steering(_ spec: String, masks: MaskSet, means: MeanActivations?, columns: [String]) throws -> EvalRow {
        var plans: [String: SteeringPlan] = [:]
        for column in columns {
            let request = try SteeringSpec.request(spec.replacingOccurrences(of: "{lang}", with: column))
            plans[column] = try SteeringPlan.build(masks: masks, means: means, request: request)
        }
        return EvalRow(label: "steer \(spec)", plans: plans)
    }
}

/// The `--steer` language of `lna eval`: comma-separated terms, each deactivating or activating a language.
///
/// - `L-V`: deactivate L, its neurons set to −V (`en-1` sets English's neurons to −1; `en-0` zeroes them);
/// - `L+mean`, `L+mean*A`: activate L additively with its mean activation (times α = A);
/// - `L=mean`: replace L's activations by their mean; `L+diff`, `L+diff*A`: the difference of means.
///
/// ```swift
/// let r = try SteeringSpec.request("en-1,fr+mean")   // deactivate en (value −1), activate fr (additive, α 1)
/// ```
public enum SteeringSpec {
    public static func request(_ spec: String) throws -> SteeringRequest {
        var request = SteeringRequest()
        var deactivationValue: Float? = nil
        for term in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !term.isEmpty {
            if let plus = term.firstIndex(where: { $0 == "+" || $0 == "=" }) {
                let language = String(term[..<plus])
                let rest = term[term.index(after: plus)...]
                let parts = rest.split(separator: "*", maxSplits: 1).map(String.init)
                let alpha = try parts.count == 2 ? number(parts[1], in: term) : 1
                guard request.activate == nil, !language.isEmpty else {
                    throw EvalError.invalidInput("--steer '\(spec)': one language to activate, e.g. fr+mean")
                }
                switch (term[plus], parts.first ?? "") {
                case ("+", "mean"): request.method = .additive
                case ("=", "mean"): request.method = .replacement
                case ("+", "diff"): request.method = .diffmean
                default: throw EvalError.invalidInput("--steer term '\(term)': expected L+mean, L+mean*A, L=mean or L+diff")
                }
                request.activate = language
                request.alpha = alpha
            } else if let minus = term.lastIndex(of: "-"), minus != term.startIndex {
                let value = try number(String(term[term.index(after: minus)...]), in: term)
                if let previous = deactivationValue, previous != value {
                    throw EvalError.invalidInput("--steer '\(spec)': every deactivated language needs the same value")
                }
                deactivationValue = value
                request.deactivate.append(String(term[..<minus]))
            } else {
                throw EvalError.invalidInput("--steer term '\(term)': expected L-V (deactivate) or L+mean (activate)")
            }
        }
        if let v = deactivationValue { request.deactivation = v == 0 ? .zero : .value(-v) }
        guard !request.isEmpty else { throw EvalError.invalidInput("--steer '\(spec)': nothing to do") }
        return request
    }

    static func number(_ text: String, in term: String) throws -> Float {
        guard let v = Float(text), v.isFinite else { throw EvalError.invalidInput("--steer term '\(term)': '\(text)' is not a number") }
        return v
    }
}
