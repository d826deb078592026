/// What to do to the model, before it is resolved against masks and means: the options of `lna steer`.
///
/// ```swift
/// let request = SteeringRequest(deactivate: ["en"], deactivation: .value(-1),
///                               activate: "fr", method: .additive, alpha: 1)
/// ```
public struct SteeringRequest: Codable, Sendable, Equatable {
    /// Languages whose neurons are switched off (union of their masks per layer).
    public var deactivate: [String]
    public var deactivation: DeactivationKind
    /// The language whose neurons are boosted, if any.
    public var activate: String?
    public var method: ActivationMethod
    public var alpha: Float
    public var positions: SteeringPositions
    /// Where the edit happens; `mlp.hook_act` is the MLP activation after the nonlinearity, before `⊙ up`.
    public var site: String

    public init(deactivate: [String] = [], deactivation: DeactivationKind = .value(-1), activate: String? = nil,
                method: ActivationMethod = .additive, alpha: Float = 1, positions: SteeringPositions = .all,
                site: String = "mlp.hook_act") {
        self.deactivate = deactivate
        self.deactivation = deactivation
        self.activate = activate
        self.method = method
        self.alpha = alpha
        self.positions = positions
        self.site = site
    }

    /// True when the request changes nothing (the no-intervention baseline).
    public var isEmpty: Bool { deactivate.isEmpty && activate == nil }
}
