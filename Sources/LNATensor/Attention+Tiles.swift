/// Keys packed for the score micro-kernel and values padded for the output micro-kernel, per key/value head,
/// plus per-panel position/sequence ranges used to skip invisible panels.
struct PackedKeysValues: @unchecked Sendable {
    // @unchecked: written once in init (in parallel, disjoint panels), read-only afterwards.
    /// `[kvHead][panel][d][32]`, keys beyond `keys` zero.
    let keys: UnsafeMutablePointer<Float>
    /// `[kvHead][panels·32][paddedDimension]`, padding zero.
    let values: UnsafeMutablePointer<Float>
    /// Per panel: smallest/largest key position, smallest/largest sequence id, number of real keys.
    let minimumPosition: [Int], maximumPosition: [Int], minimumSequence: [Int], maximumSequence: [Int]

    init(k: UnsafePointer<Float>, v: UnsafePointer<Float>, geometry g: AttentionGeometry) {
        let panels = g.keyPanels, d = g.headDimension, dp = g.paddedDimension, heads = g.keyValueHeads
        let packedKeys = allocateAligned(heads * panels * d * 32)
        let packedValues = allocateAligned(heads * panels * 32 * dp)
        ComputePool.shared.parallelFor(count: heads * panels) { task in
            let head = task / panels, panel = task % panels
            let keyPanel = packedKeys + (head * panels + panel) * d * 32
            let valuePanel = packedValues + (head * panels + panel) * 32 * dp
            keyPanel.initialize(repeating: 0, count: d * 32)
            valuePanel.initialize(repeating: 0, count: 32 * dp)
            for j in 0..<min(32, g.keys - panel * 32) {
                let source = (panel * 32 + j) * heads * d + head * d
                for i in 0..<d { keyPanel[i * 32 + j] = k[source + i] }
                (valuePanel + j * dp).update(from: v + source, count: d)
            }
        }
        keys = packedKeys
        values = packedValues
        var minimumPosition = [Int](), maximumPosition = [Int](), minimumSequence = [Int](), maximumSequence = [Int]()
        for panel in 0..<panels {
            let range = (panel * 32)..<min(g.keys, panel * 32 + 32)
            minimumPosition.append(range.map { g.keyPositions[$0] }.min()!)
            maximumPosition.append(range.map { g.keyPositions[$0] }.max()!)
            minimumSequence.append(range.map { g.keySequenceIds[$0] }.min()!)
            maximumSequence.append(range.map { g.keySequenceIds[$0] }.max()!)
        }
        self.minimumPosition = minimumPosition
        self.maximumPosition = maximumPosition
        self.minimumSequence = minimumSequence
        self.maximumSequence = maximumSequence
    }

    func deallocate() {
        keys.deallocate()
        values.deallocate()
    }
}

/// One tile: 8 query rows of key/value head `kvHead` (rows `t·group + g`) against all the key panels they may see.
func attendTile(kvHead: Int, tile: Int, q: UnsafePointer<Float>, packed: PackedKeysValues, geometry g: AttentionGeometry,
                settings: ScoreSettings, output: UnsafeMutablePointer<Float>, pattern: UnsafeMutablePointer<Float>?) {
    let d = g.headDimension, dp = g.paddedDimension, group = g.groupSize, panels = g.keyPanels
    let firstRow = tile * 8
    let rowCount = min(8, g.rowsPerGroup - firstRow)
    // Rows of the tile: query index, head, position, sequence.
    var token = [Int](repeating: 0, count: 8), head = [Int](repeating: 0, count: 8)
    var lowest = Int.max, highest = Int.min, lowSequence = Int.max, highSequence = Int.min
    for r in 0..<rowCount {
        token[r] = (firstRow + r) / group
        head[r] = kvHead * group + (firstRow + r) % group
        let position = g.queryPositions[token[r]], sequence = g.querySequenceIds[token[r]]
        lowest = min(lowest, position); highest = max(highest, position)
        lowSequence = min(lowSequence, sequence); highSequence = max(highSequence, sequence)
    }
    // Key panels some row of the tile may see.
    var firstPanel = panels, lastPanel = -1
    for p in 0..<panels {
        if packed.minimumPosition[p] > highest { continue }
        if packed.maximumSequence[p] < lowSequence || packed.minimumSequence[p] > highSequence { continue }
        if let window = g.window, packed.maximumPosition[p] <= lowest - window { continue }
        firstPanel = min(firstPanel, p); lastPanel = p
    }
    let hq = g.queryHeads
    if lastPanel < firstPanel {
        for r in 0..<rowCount { (output + (token[r] * hq + head[r]) * d).initialize(repeating: 0, count: d) }
        return
    }
    let width = (lastPanel - firstPanel + 1) * 32
    // Score rows are padded by one cache line so the 8 rows the output kernel reads never share a cache set.
    let scoreStride = width + 16
    let queryTile = allocateAligned(8 * d)
    let scores = allocateAligned(8 * scoreStride)
    let outputTile = allocateAligned(8 * dp)
    defer { queryTile.deallocate(); scores.deallocate(); outputTile.deallocate() }

    queryTile.initialize(repeating: 0, count: 8 * d)
    for r in 0..<rowCount {
        let source = q + (token[r] * hq + head[r]) * d
        for i in 0..<d { queryTile[i &* 8 &+ r] = source[i] }
    }
    let keyBase = packed.keys + kvHead * panels * d * 32
    for p in firstPanel...lastPanel {
        microKernel8x32(k: d, a: queryTile, b: keyBase + p * d * 32, ldb: 32, c: scores + (p - firstPanel) * 32,
                        ldc: scoreStride, accumulate: false)
    }
    let firstKey = firstPanel * 32
    for r in 0..<8 {
        let row = scores + r * scoreStride
        if r >= rowCount {
            row.initialize(repeating: 0, count: width)
        } else {
            maskAndNormalise(row, width: width, firstKey: firstKey, token: token[r], geometry: g, packed: packed,
                             settings: settings)
            if let pattern {
                let destination = pattern + ((head[r] - kvHead * group) * g.queries + token[r]) * g.keys + firstKey
                destination.update(from: row, count: min(width, g.keys - firstKey))
            }
        }
    }
    let valueBase = packed.values + (kvHead * panels + firstPanel) * 32 * dp
    for column in stride(from: 0, to: dp, by: 32) {
        microKernel8x32Strided(k: width, a: scores, lda: scoreStride, b: valueBase + column, ldb: dp,
                               c: outputTile + column, ldc: dp, accumulate: false)
    }
    for r in 0..<rowCount { (output + (token[r] * hq + head[r]) * d).update(from: outputTile + r * dp, count: d) }
}

/// Scales (and soft-caps) one row of scores, sets invisible keys to −∞ and applies the softmax in place.
@inline(__always)
private func maskAndNormalise(_ row: UnsafeMutablePointer<Float>, width: Int, firstKey: Int, token: Int,
                              geometry g: AttentionGeometry, packed: PackedKeysValues, settings: ScoreSettings) {
    let position = g.queryPositions[token], sequence = g.querySequenceIds[token]
    if let cap = settings.softcap {
        scaleInPlace(row, by: settings.scale / cap, count: width)
        softcap(row, count: width, cap: 1)
        scaleInPlace(row, by: cap, count: width)
    } else {
        scaleInPlace(row, by: settings.scale, count: width)
    }
    for panelStart in stride(from: 0, to: width, by: 32) {
        let panel = (firstKey + panelStart) / 32
        let full = firstKey + panelStart + 32 <= g.keys
        let allVisible = full && packed.maximumPosition[panel] <= position
            && packed.minimumSequence[panel] == sequence && packed.maximumSequence[panel] == sequence
            && (g.window.map { packed.minimumPosition[panel] > position - $0 } ?? true)
        if allVisible { continue }
        for j in panelStart..<(panelStart + 32) {
            let key = firstKey + j
            if key >= g.keys || !g.isVisible(key: key, position: position, sequence: sequence) { row[j] = -.infinity }
        }
    }
    softmaxRow(row, count: width)
}
