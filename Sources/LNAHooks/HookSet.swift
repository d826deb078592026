/// The hooks of one or more forward calls: observers that read tensors and interventions that edit them.
///
/// A forward pass asks `isActive(_:layer:)` before it prepares a hook tensor, so a site without hooks costs one
/// array read. Names are resolved when a hook is added; an unknown name throws with the nearest valid names.
///
/// ```swift
/// let hooks = HookSet(layerCount: model.config.layerCount)
/// try hooks.observe("blocks.*.mlp.hook_act") { t in counter.add(t) }
/// try hooks.intervene(Intervention(hook: "blocks.3.mlp.hook_act", neurons: .indices([7]), operation: .zero))
/// let out = try model.forward(tokens, hooks: hooks)
/// ```
public final class HookSet {
    public typealias Observer = (HookTensor) -> Void
    public typealias RoutingObserver = (ExpertChoices) -> Void

    public let layerCount: Int
    private var observers: [HookPoint: [Observer]] = [:]
    private var interventions: [HookPoint: [Intervention]] = [:]
    private var routingObservers: [RoutingObserver] = []
    private var active: [Bool]

    public init(layerCount: Int) {
        self.layerCount = layerCount
        self.active = [Bool](repeating: false, count: (layerCount + 1) * HookSite.allCases.count)
    }

    /// Whether any hook is attached at a point (the forward skips all hook work otherwise).
    @inline(__always)
    public func isActive(_ site: HookSite, layer: Int? = nil) -> Bool {
        active[slot(site, layer: layer)]
    }

    /// Calls `body` with the tensor at every point the pattern selects, after any interventions there.
    public func observe(_ pattern: String, _ body: @escaping Observer) throws {
        for point in try HookPattern(pattern).points(layerCount: layerCount) {
            observers[point, default: []].append(body)
            markActive(point)
        }
    }

    /// Calls `body` with the routing every mixture-of-experts layer decides (each layer of each forward call, after
    /// any edit at `mlp.hook_router`, before its experts run). Dense layers and models never call it.
    public func observeRouting(_ body: @escaping RoutingObserver) {
        routingObservers.append(body)
    }

    /// Whether anyone observes routing (the forward skips handing it out otherwise).
    public var observesRouting: Bool { !routingObservers.isEmpty }

    /// Hands a layer's routing to the routing observers, in the order added. Called by the forward pass.
    public func fire(_ choices: ExpertChoices) {
        for observer in routingObservers { observer(choices) }
    }

    /// Adds an edit at every point its hook pattern selects.
    public func intervene(_ intervention: Intervention) throws {
        for point in try HookPattern(intervention.hook).points(layerCount: layerCount) {
            interventions[point, default: []].append(intervention)
            markActive(point)
        }
    }

    /// Adds several edits, in order.
    public func intervene(_ plan: [Intervention]) throws {
        for intervention in plan { try intervene(intervention) }
    }

    /// The interventions attached at a point, in order.
    public func interventions(at point: HookPoint) -> [Intervention] { interventions[point] ?? [] }

    /// Runs the interventions, then the observers, of `tensor.point`. Called by the forward pass.
    public func fire(_ tensor: HookTensor) throws {
        // An expert's tensor also meets the hooks added for every expert (`mlp.experts.*.hook_act`), first.
        let anyExpert = tensor.point.expert == nil ? nil : tensor.point.anyExpert
        if let anyExpert { try edit(tensor, at: anyExpert) }
        try edit(tensor, at: tensor.point)
        if let anyExpert, let list = observers[anyExpert] { for observer in list { observer(tensor) } }
        if let list = observers[tensor.point] {
            for observer in list { observer(tensor) }
        }
    }

    private func edit(_ tensor: HookTensor, at point: HookPoint) throws {
        if let edits = interventions[point] {
            for edit in edits {
                try edit.validate(columns: tensor.columns)
                edit.apply(to: tensor)
            }
        }
    }

    private func markActive(_ point: HookPoint) { active[slot(point.site, layer: point.layer)] = true }

    @inline(__always)
    private func slot(_ site: HookSite, layer: Int?) -> Int {
        (site.isPerLayer ? (layer ?? 0) + 1 : 0) * HookSite.allCases.count + site.ordinal
    }
}
