import Foundation
import Testing
import LNAAnalysis
import LNAFiles
import LNAHooks
import LNARecording

// Recording pieces on inline data: digest, packing, shards, instruction boundaries, the counter.

@Test func sha256MatchesTheFIPSVectors() {
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    // Streaming in odd pieces gives the same digest as one update.
    let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    var pieces = SHA256()
    var offset = 0
    for size in [1, 63, 64, 65, 999, 4096].cycled(until: million.count) {
        let end = min(offset + size, million.count)
        pieces.update(Array(million[offset..<end]))
        offset = end
        if offset == million.count { break }
    }
    #expect(pieces.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

extension Array {
    /// Repeats the elements until their sum would reach `total` (enough pieces for any split).
    func cycled(until total: Int) -> [Element] { (0..<total).map { self[$0 % count] } }
}

@Test func modelDigestIsCachedAndNoticesChanges() throws {
    let dir = try makeTemporaryDirectory()
    let file = dir.appendingPathComponent("weights.bin")
    try Data("abc".utf8).write(to: file)
    #expect(try ModelDigest.sha256(of: file) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(try ModelDigest.sha256(of: file) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    try Data("abcd".utf8).write(to: file)
    #expect(try ModelDigest.sha256(of: file) == SHA256.hex(Array("abcd".utf8)))
}

@Test func packingKeepsOrderAndShardsPartitionTheBatches() throws {
    let lengths = [5, 9, 3, 20, 1, 1, 1, 7, 30, 2, 2, 8]
    let sequences = lengths.enumerated().map { RecordingSequence(tokens: Array(repeating: $0.offset, count: $0.element)) }
    let plan = RecordingPlan(sequences: sequences, batchTokens: 16, shard: .whole)
    // Contiguous, in order, covering every sequence once; no batch over budget unless a single long sequence.
    #expect(plan.batches.first?.lowerBound == 0)
    #expect(plan.batches.last?.upperBound == sequences.count)
    for (a, b) in zip(plan.batches, plan.batches.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
    for batch in plan.batches {
        let rows = batch.reduce(0) { $0 + lengths[$1] }
        #expect(rows <= 16 || batch.count == 1)
    }
    #expect(plan.batches == [0..<2, 2..<3, 3..<4, 4..<8, 8..<9, 9..<12])
    for n in 1...8 {
        var covered: [Int] = []
        for i in 0..<n {
            let shard = RecordingPlan(sequences: sequences, batchTokens: 16, shard: try Shard(index: i, count: n))
            #expect(shard.batches == plan.batches)   // packing never depends on the shard
            covered += Array(shard.shardBatches)
        }
        #expect(covered == Array(plan.batches.indices))
    }
    #expect(throws: Shard.InvalidShard.self) { try Shard(parsing: "4/4") }
    #expect(throws: Shard.InvalidShard.self) { try Shard(parsing: "1-4") }
    #expect(try Shard(parsing: "3/4").index == 3)
}

/// A toy tokenizer: BOS 1, then one id per word, except that "ab" + "c" at a word boundary merges the way
/// BPE merges across a missing space: text is split on spaces and each word maps to a stable id.
private func toyEncode(_ text: String) -> [Int] {
    [1] + text.split(separator: " ").map { word in 100 + word.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 5000 } }
}

@Test func instructionPairsUseTheFullTextRowsWhenTheBoundaryIsClean() {
    let pairs: [(instruction: String, response: String)] = [
        ("What is two plus two?", " Four."),      // clean boundary: a space starts the response
        ("Name a colour:", "Red"),                  // merges: "colour:Red" becomes one word
        ("", " orphan answer"),                     // empty instruction: full text only
        ("Unanswered question", ""),               // empty response: full = instruction
    ]
    let one = RecordingInput.instructionPairs(pairs, maxLength: 100, encode: toyEncode)
    #expect(one.hasPrefix)
    #expect(one.textCount == 4)
    #expect(one.boundaryMerged == 1)
    let clean = one.sequences[0]
    #expect(clean.tokens == toyEncode("What is two plus two? Four."))
    #expect(clean.countsAsFull && clean.prefixRows == toyEncode("What is two plus two?").count)
    // The merged pair: full text alone, then the instruction as a prefix-only sequence.
    #expect(one.sequences[1] == RecordingSequence(tokens: toyEncode("Name a colour:Red")))
    #expect(one.sequences[2] == RecordingSequence(tokens: toyEncode("Name a colour:"), countsAsFull: false, prefixRows: 4))
    #expect(one.sequences[3] == RecordingSequence(tokens: toyEncode(" orphan answer")))
    #expect(one.sequences[4].prefixRows == one.sequences[4].tokens.count && one.sequences[4].countsAsFull)
    #expect(one.sequences.count == 5)

    let two = RecordingInput.instructionPairs(pairs, maxLength: 100, twoPass: true, encode: toyEncode)
    #expect(two.sequences.filter(\.countsAsFull).map(\.tokens) == pairs.map { $0.instruction + $0.response }.map(toyEncode))
    #expect(two.sequences.filter { !$0.countsAsFull }.map(\.tokens)
            == pairs.map(\.instruction).filter { !$0.isEmpty }.map(toyEncode))
    #expect(two.sequences.allSatisfy { $0.countsAsFull ? $0.prefixRows == 0 : $0.prefixRows == $0.tokens.count })
}

@Test func longTextsAreTruncatedAndCounted() {
    let input = RecordingInput.tokenSequences([[1, 2, 3, 4, 5], [1, 2], []], maxLength: 3)
    #expect(input.sequences.map(\.tokens) == [[1, 2, 3], [1, 2]])
    #expect(input.truncated == 1)
    #expect(input.textCount == 2)
}

@Test func counterRoutesRowsToFullAndPrefix() throws {
    let counter = NeuronCounter(layers: 2, width: 3, recordsPrefix: true, recordsSums: true)
    let hooks = HookSet(layerCount: 2)
    try counter.attach(to: hooks, site: "blocks.*.mlp.hook_act")
    // Three packed sequences: a full text with a 2-row prefix, a prefix-only sequence, a plain full text.
    let layout = [RecordingSequence(tokens: [0, 0, 0], prefixRows: 2),
                  RecordingSequence(tokens: [0, 0], countsAsFull: false, prefixRows: 2),
                  RecordingSequence(tokens: [0])]
    counter.begin(layout)
    var values: [Float] = [
        1, -1, 0,      // seq 0 row 0 (prefix)
        2, 3, -0.0,    // seq 0 row 1 (prefix)
        -1, 1, 1,      // seq 0 row 2
        5, 5, 5,       // seq 1 row 0 (prefix only)
        -5, 5, -5,     // seq 1 row 1 (prefix only)
        0.5, 0, 0,     // seq 2 row 0
    ]
    let context = HookContext(phase: .prompt, positions: [0, 1, 2, 0, 1, 0], sequenceIndices: [0, 0, 0, 1, 1, 2])
    try values.withUnsafeMutableBufferPointer { v in
        try hooks.fire(HookTensor(point: HookPoint(.mlpAct, layer: 1), values: v.baseAddress!, rows: 6, columns: 3,
                                  context: context))
    }
    #expect(counter.full.totalTokens == 4)
    #expect(counter.prefix?.totalTokens == 4)
    #expect(counter.full.overZero == [0, 0, 0, 3, 2, 1])
    #expect(counter.prefix?.overZero == [0, 0, 0, 3, 3, 1])
    #expect(counter.full.sumActivation == [0, 0, 0, 2.5, 3, 1])
    #expect(counter.prefix?.sumActivation == [0, 0, 0, 3, 12, 0])
    #expect(counter.mismatchedTensors == 0)
}

func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lna-recording-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
