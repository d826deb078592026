/// What the forward pass is doing when a hook fires.
public struct HookContext: Sendable {
    /// Whether the rows are prompt tokens (prefill) or generated tokens (decode steps).
    public enum Phase: Sendable { case prompt, generated }

    public var phase: Phase
    /// Absolute position of every row within its own sequence.
    public var positions: [Int]
    /// Which packed sequence every row belongs to (0 when there is one sequence).
    public var sequenceIndices: [Int]

    public init(phase: Phase, positions: [Int], sequenceIndices: [Int]) {
        self.phase = phase
        self.positions = positions
        self.sequenceIndices = sequenceIndices
    }
}

/// A row-major tensor handed to a hook for the duration of one call: `rows × columns` floats.
///
/// The pointer is valid only inside the hook; copy what you need to keep. For `hook_logits` the rows come in
/// chunks: `rowOffset` is the index of the first row within the forward call. For `attn.hook_pattern`,
/// `head` says which attention head the `T × S` matrix belongs to.
public struct HookTensor {
    public let point: HookPoint
    public let values: UnsafeMutablePointer<Float>
    public let rows: Int
    public let columns: Int
    public let rowOffset: Int
    public let head: Int?
    public let context: HookContext

    public init(point: HookPoint, values: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
                rowOffset: Int = 0, head: Int? = nil, context: HookContext) {
        self.point = point
        self.values = values
        self.rows = rows
        self.columns = columns
        self.rowOffset = rowOffset
        self.head = head
        self.context = context
    }

    /// Row `r` as a buffer of `columns` floats.
    public func row(_ r: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: values + r * columns, count: columns)
    }
}
