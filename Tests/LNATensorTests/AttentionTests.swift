import Testing
import LNATensor

private struct AttentionCase: Sendable, CustomStringConvertible {
    var queries: Int, keys: Int, queryHeads: Int, keyValueHeads: Int, dimension: Int
    var window: Int? = nil
    var packed = false
    var softcap: Float? = nil
    var description: String {
        "T=\(queries) S=\(keys) Hq=\(queryHeads) Hkv=\(keyValueHeads) D=\(dimension) window=\(window.map(String.init) ?? "-") packed=\(packed) softcap=\(softcap.map { "\($0)" } ?? "-")"
    }
}

private let cases: [AttentionCase] = [
    AttentionCase(queries: 1, keys: 1, queryHeads: 1, keyValueHeads: 1, dimension: 8),
    AttentionCase(queries: 5, keys: 5, queryHeads: 2, keyValueHeads: 2, dimension: 16),
    AttentionCase(queries: 37, keys: 37, queryHeads: 9, keyValueHeads: 3, dimension: 64),
    AttentionCase(queries: 70, keys: 70, queryHeads: 4, keyValueHeads: 1, dimension: 256, window: 20),
    AttentionCase(queries: 50, keys: 50, queryHeads: 14, keyValueHeads: 2, dimension: 64, packed: true),
    AttentionCase(queries: 33, keys: 33, queryHeads: 2, keyValueHeads: 1, dimension: 40, softcap: 50),
    AttentionCase(queries: 1, keys: 100, queryHeads: 7, keyValueHeads: 1, dimension: 64),       // generation
    AttentionCase(queries: 3, keys: 67, queryHeads: 6, keyValueHeads: 2, dimension: 32, window: 30),
    AttentionCase(queries: 2, keys: 40, queryHeads: 4, keyValueHeads: 2, dimension: 48, window: 10, softcap: 20),
    AttentionCase(queries: 1, keys: 300, queryHeads: 9, keyValueHeads: 3, dimension: 64, window: 128),
]

@Test(arguments: cases)
private func attentionMatchesReference(c: AttentionCase) throws {
    let q = randomValues(c.queries * c.queryHeads * c.dimension, seed: 31, scale: 2)
    let k = randomValues(c.keys * c.keyValueHeads * c.dimension, seed: 32, scale: 2)
    let v = randomValues(c.keys * c.keyValueHeads * c.dimension, seed: 33)
    // Keys at 0..<S; queries are the last T positions (prefill when T == S, generation when T < S).
    var keyPositions = Array(0..<c.keys)
    var queryPositions = Array((c.keys - c.queries)..<c.keys)
    var keySequences: [Int]? = nil, querySequences: [Int]? = nil
    if c.packed {   // three packed sequences, positions restarting at 0
        let ids = (0..<c.keys).map { $0 < 20 ? 0 : ($0 < 35 ? 1 : 2) }
        keySequences = ids
        querySequences = ids
        keyPositions = (0..<c.keys).map { $0 < 20 ? $0 : ($0 < 35 ? $0 - 20 : $0 - 35) }
        queryPositions = keyPositions
    }
    let scale = 1 / Float(c.dimension).squareRoot()
    let expected = referenceAttention(
        q: q, k: k, v: v, queries: c.queries, keys: c.keys, queryHeads: c.queryHeads, keyValueHeads: c.keyValueHeads,
        headDimension: c.dimension, queryPositions: queryPositions, keyPositions: keyPositions,
        querySequenceIds: querySequences, keySequenceIds: keySequences, scale: scale, window: c.window, softcap: c.softcap)
    var output = [Float](repeating: .nan, count: q.count)
    try causalAttention(q: q, k: k, v: v, queries: c.queries, keys: c.keys, queryHeads: c.queryHeads,
                        keyValueHeads: c.keyValueHeads, headDimension: c.dimension, queryPositions: queryPositions,
                        keyPositions: keyPositions, querySequenceIds: querySequences, keySequenceIds: keySequences,
                        scale: scale, window: c.window, softcap: c.softcap, output: &output)
    let difference = maxRelativeDifference(output, expected.output)
    print("attention \(c): max diff \(difference)")
    #expect(difference < 2e-5)

    // The observer sees every head once, with the reference pattern; the output is unchanged.
    var observed = [Float](repeating: .nan, count: expected.pattern.count)
    var seenHeads: [Int] = []
    var observedOutput = [Float](repeating: .nan, count: q.count)
    let patternSize = c.queries * c.keys
    try causalAttention(q: q, k: k, v: v, queries: c.queries, keys: c.keys, queryHeads: c.queryHeads,
                        keyValueHeads: c.keyValueHeads, headDimension: c.dimension, queryPositions: queryPositions,
                        keyPositions: keyPositions, querySequenceIds: querySequences, keySequenceIds: keySequences,
                        scale: scale, window: c.window, softcap: c.softcap, output: &observedOutput,
                        observer: { head, pattern in
                            seenHeads.append(head)
                            for i in 0..<patternSize { observed[head * patternSize + i] = pattern[i] }
                        })
    #expect(seenHeads == Array(0..<c.queryHeads))
    #expect(observedOutput == output)
    let patternDifference = maxRelativeDifference(observed, expected.pattern)
    #expect(patternDifference < 1e-5)
}

@Test func attentionRejectsBadShapes() {
    let x = [Float](repeating: 0, count: 64)
    var out = [Float](repeating: 0, count: 64)
    #expect(throws: TensorError.self) {
        try causalAttention(q: x, k: x, v: x, queries: 2, keys: 2, queryHeads: 3, keyValueHeads: 2, headDimension: 8,
                            queryPositions: [0, 1], keyPositions: [0, 1], scale: 1, output: &out)
    }
    #expect(throws: TensorError.self) {
        try causalAttention(q: x, k: x, v: x, queries: 2, keys: 2, queryHeads: 2, keyValueHeads: 2, headDimension: 8,
                            queryPositions: [0], keyPositions: [0, 1], scale: 1, output: &out)
    }
}
