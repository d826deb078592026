/// Keys (after RoPE) and values of every layer for one sequence, so generation evaluates only new tokens.
///
/// ```swift
/// let cache = KVCache(config: model.config, capacity: 512)
/// _ = try model.forward(TokenBatch(prompt), cache: cache, logits: .lastOfEachSequence)
/// ```
public final class KVCache {
    public let capacity: Int
    /// Number of positions stored.
    public private(set) var count = 0
    let kvWidth: Int
    var keys: [[Float]]
    var values: [[Float]]

    public init(config: ModelConfig, capacity: Int) {
        self.capacity = capacity
        self.kvWidth = config.kvWidth
        keys = Array(repeating: [Float](repeating: 0, count: capacity * config.kvWidth), count: config.layerCount)
        values = keys
    }

    /// Forgets every position (the buffers are kept).
    public func clear() { count = 0 }

    /// Forgets the positions after the first `count` (the next forward overwrites them), so several
    /// continuations can be scored after one cached prefix (`lna eval`'s log-likelihood tasks).
    ///
    /// ```swift
    /// let prefix = cache.count
    /// for continuation in continuations { _ = try model.forward(TokenBatch(continuation), cache: cache, logits: .all); cache.truncate(to: prefix) }
    /// ```
    public func truncate(to count: Int) { self.count = min(max(0, count), self.count) }

    func append(layer: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>, rows: Int) {
        keys[layer].withUnsafeMutableBufferPointer { dst in
            (dst.baseAddress! + count * kvWidth).update(from: k, count: rows * kvWidth)
        }
        values[layer].withUnsafeMutableBufferPointer { dst in
            (dst.baseAddress! + count * kvWidth).update(from: v, count: rows * kvWidth)
        }
    }

    func advance(by rows: Int) { count += rows }
}
