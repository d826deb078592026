/// Receives the attention pattern of one query head: `pattern` is row-major `[queries, keys]` softmax
/// probabilities (0 where masked). Called on the caller's thread, head by head, after that head's group is done.
public typealias AttentionPatternObserver = (_ head: Int, _ pattern: UnsafeBufferPointer<Float>) -> Void

/// Masked multi-head attention with grouped-query heads: `out = softmax(scale·q·kᵀ + mask)·v` per head.
///
/// Layouts (row-major float32): `q` `[queries, queryHeads, headDimension]`, `k` and `v`
/// `[keys, keyValueHeads, headDimension]`, `output` `[queries, queryHeads, headDimension]`. Query head `h` reads
/// key/value head `h / (queryHeads / keyValueHeads)` (GQA; MHA when the counts are equal).
///
/// Query `t` sees key `j` iff `keyPositions[j] ≤ queryPositions[t]`, and, with a `window`,
/// `keyPositions[j] > queryPositions[t] − window` (sliding window), and, with sequence ids,
/// `keySequenceIds[j] == querySequenceIds[t]` (block-diagonal mask for packed sequences). A query that sees no
/// key gets a zero output. With `softcap` (Gemma 2) scores become `cap·tanh(score/cap)` before the mask.
///
/// Works for prefill (queries = keys) and for generation against a KV cache (one query, many keys). The work is
/// tiled: 8 query rows (query × head of one group) against 32-key panels through the GEMM micro-kernel, key
/// panels no query of a tile can see are skipped, tiles run in parallel on the `ComputePool`. With an
/// `observer`, each head's full `[queries, keys]` pattern is materialised (memory `group size × queries × keys`
/// floats) and handed over; without one nothing extra is computed or stored.
///
/// ```swift
/// try causalAttention(q: q, k: k, v: v, queries: T, keys: T, queryHeads: 9, keyValueHeads: 3, headDimension: 64,
///                     queryPositions: positions, keyPositions: positions, scale: 1 / 8, output: out)
/// ```
public func causalAttention(
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    queries: Int, keys: Int, queryHeads: Int, keyValueHeads: Int, headDimension: Int,
    queryPositions: [Int], keyPositions: [Int],
    querySequenceIds: [Int]? = nil, keySequenceIds: [Int]? = nil,
    scale: Float, window: Int? = nil, softcap: Float? = nil,
    output: UnsafeMutablePointer<Float>, observer: AttentionPatternObserver? = nil
) throws {
    let geometry = try AttentionGeometry(
        queries: queries, keys: keys, queryHeads: queryHeads, keyValueHeads: keyValueHeads,
        headDimension: headDimension, queryPositions: queryPositions, keyPositions: keyPositions,
        querySequenceIds: querySequenceIds, keySequenceIds: keySequenceIds, window: window)
    if queries == 0 { return }
    if keys == 0 {
        output.initialize(repeating: 0, count: queries * queryHeads * headDimension)
        return
    }
    let settings = ScoreSettings(scale: scale, softcap: softcap)
    if queries <= directQueryLimit {
        if let observer {
            // Few queries: the whole [heads, queries, keys] pattern is small.
            let patternCount = queries * keys
            let pattern = UnsafeMutableBufferPointer<Float>.allocate(capacity: queryHeads * patternCount)
            defer { pattern.deallocate() }
            attendDirect(q: q, k: k, v: v, geometry: geometry, settings: settings, output: output,
                         pattern: pattern.baseAddress!)
            for head in 0..<queryHeads {
                observer(head, UnsafeBufferPointer(rebasing: pattern[(head * patternCount)..<((head + 1) * patternCount)]))
            }
        } else {
            attendDirect(q: q, k: k, v: v, geometry: geometry, settings: settings, output: output, pattern: nil)
        }
        return
    }
    let packed = PackedKeysValues(k: k, v: v, geometry: geometry)
    defer { packed.deallocate() }
    let tiles = geometry.tilesPerGroup
    if let observer {
        let group = geometry.groupSize
        let patternCount = queries * keys
        let pattern = UnsafeMutableBufferPointer<Float>.allocate(capacity: group * patternCount)
        defer { pattern.deallocate() }
        for kvHead in 0..<keyValueHeads {
            pattern.initialize(repeating: 0)
            ComputePool.shared.parallelFor(count: tiles) { tile in
                attendTile(kvHead: kvHead, tile: tile, q: q, packed: packed, geometry: geometry, settings: settings,
                           output: output, pattern: pattern.baseAddress!)
            }
            for g in 0..<group {
                observer(kvHead * group + g, UnsafeBufferPointer(rebasing: pattern[(g * patternCount)..<((g + 1) * patternCount)]))
            }
        }
    } else {
        ComputePool.shared.parallelFor(count: keyValueHeads * tiles) { task in
            attendTile(kvHead: task / tiles, tile: task % tiles, q: q, packed: packed, geometry: geometry,
                       settings: settings, output: output, pattern: nil)
        }
    }
}

/// Up to this many queries, attention skips packing and uses direct dot products (generation with a KV cache).
let directQueryLimit = 2

/// Score post-processing shared by all tiles.
struct ScoreSettings {
    let scale: Float
    let softcap: Float?
}

/// Validated sizes, positions and sequence ids of one attention call.
struct AttentionGeometry {
    let queries: Int, keys: Int, queryHeads: Int, keyValueHeads: Int, headDimension: Int
    let queryPositions: [Int], keyPositions: [Int]
    let querySequenceIds: [Int], keySequenceIds: [Int]
    let window: Int?
    var groupSize: Int { queryHeads / keyValueHeads }
    /// Query rows of one key/value head: `(query t, head g of the group)` as row `t·groupSize + g`.
    var rowsPerGroup: Int { queries * groupSize }
    var tilesPerGroup: Int { (rowsPerGroup + 7) / 8 }
    var keyPanels: Int { (keys + 31) / 32 }
    /// Value rows padded to whole 32-wide micro-kernel columns.
    var paddedDimension: Int { (headDimension + 31) / 32 * 32 }

    init(queries: Int, keys: Int, queryHeads: Int, keyValueHeads: Int, headDimension: Int,
         queryPositions: [Int], keyPositions: [Int], querySequenceIds: [Int]?, keySequenceIds: [Int]?,
         window: Int?) throws {
        guard queries >= 0, keys >= 0, headDimension > 0, keyValueHeads > 0, queryHeads % keyValueHeads == 0,
              queryHeads > 0 else {
            throw TensorError.invalidArgument(
                "causalAttention: need queryHeads (\(queryHeads)) a positive multiple of keyValueHeads (\(keyValueHeads)) and headDimension (\(headDimension)) > 0")
        }
        guard queryPositions.count >= queries, keyPositions.count >= keys else {
            throw TensorError.sizeMismatch(
                "causalAttention: \(queryPositions.count) query positions for \(queries) queries, \(keyPositions.count) key positions for \(keys) keys")
        }
        if let window, window <= 0 {
            throw TensorError.invalidArgument("causalAttention: window \(window) must be positive")
        }
        switch (querySequenceIds, keySequenceIds) {
        case (nil, nil):
            self.querySequenceIds = [Int](repeating: 0, count: queries)
            self.keySequenceIds = [Int](repeating: 0, count: keys)
        case let (qs?, ks?):
            guard qs.count >= queries, ks.count >= keys else {
                throw TensorError.sizeMismatch(
                    "causalAttention: \(qs.count) query sequence ids for \(queries) queries, \(ks.count) key sequence ids for \(keys) keys")
            }
            self.querySequenceIds = qs
            self.keySequenceIds = ks
        default:
            throw TensorError.invalidArgument("causalAttention: give both querySequenceIds and keySequenceIds, or neither")
        }
        self.queries = queries
        self.keys = keys
        self.queryHeads = queryHeads
        self.keyValueHeads = keyValueHeads
        self.headDimension = headDimension
        self.queryPositions = queryPositions
        self.keyPositions = keyPositions
        self.window = window
    }

    /// Whether query (position, sequence) sees key `j`.
    @inline(__always)
    func isVisible(key j: Int, position: Int, sequence: Int) -> Bool {
        let keyPosition = keyPositions[j]
        if keyPosition > position || keySequenceIds[j] != sequence { return false }
        if let window, keyPosition <= position - window { return false }
        return true
    }
}
