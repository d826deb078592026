import Foundation
import Testing
import LNAFormats
import LNATestSupport

// MARK: Helpers

func halfBytes(_ value: Float) -> [UInt8] {
    let bits = Float16(value).bitPattern
    return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
}

func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// Runs the library's dequantiser over `bytes` (whole blocks of `type`).
func dequantized(_ type: GGUFTensorType, _ bytes: [UInt8]) -> [Float] {
    let count = bytes.count / type.typeSize * type.blockSize
    var out = [Float](repeating: .nan, count: count)
    bytes.withUnsafeBytes { raw in
        out.withUnsafeMutableBufferPointer { Dequantizer.dequantize(type, source: raw.baseAddress!, count: count, into: $0.baseAddress!) }
    }
    return out
}

/// A deliberately plain scalar transcription of ggml's `dequantize_row_*` loops, independent of the vectorised
/// library code, used as a second opinion on hand-made and random blocks.
func scalarReference(_ type: GGUFTensorType, _ b: [UInt8]) -> [Float] {
    func h(_ i: Int) -> Float { Float(Float16(bitPattern: UInt16(b[i]) | UInt16(b[i + 1]) << 8)) }
    func scaleMin(_ q: ArraySlice<UInt8>, _ j: Int) -> (Float, Float) {
        let q = Array(q)
        if j < 4 { return (Float(q[j] & 63), Float(q[j + 4] & 63)) }
        return (Float((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4)), Float((q[j + 4] >> 4) | ((q[j] >> 6) << 4)))
    }
    var y = [Float](repeating: 0, count: type.blockSize)
    switch type {
    case .q8_0:
        for j in 0..<32 { y[j] = Float(Int8(bitPattern: b[2 + j])) * h(0) }
    case .q4_0:
        for j in 0..<16 {
            y[j] = Float(Int(b[2 + j] & 0xF) - 8) * h(0)
            y[j + 16] = Float(Int(b[2 + j] >> 4) - 8) * h(0)
        }
    case .q4_1:
        for j in 0..<16 {
            y[j] = Float(b[4 + j] & 0xF) * h(0) + h(2)
            y[j + 16] = Float(b[4 + j] >> 4) * h(0) + h(2)
        }
    case .q5_0, .q5_1:
        let base = type == .q5_0 ? 2 : 4
        let qh = UInt32(b[base]) | UInt32(b[base + 1]) << 8 | UInt32(b[base + 2]) << 16 | UInt32(b[base + 3]) << 24
        for j in 0..<16 {
            let x0 = Int(b[base + 4 + j] & 0xF) | Int((qh >> UInt32(j)) & 1) << 4
            let x1 = Int(b[base + 4 + j] >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
            if type == .q5_0 {
                y[j] = Float(x0 - 16) * h(0); y[j + 16] = Float(x1 - 16) * h(0)
            } else {
                y[j] = Float(x0) * h(0) + h(2); y[j + 16] = Float(x1) * h(0) + h(2)
            }
        }
    case .q4_K, .q5_K:
        let scales = b[4..<16]
        let qsBase = type == .q4_K ? 16 : 48
        for c in 0..<4 {
            let (s1, m1) = scaleMin(scales, 2 * c), (s2, m2) = scaleMin(scales, 2 * c + 1)
            for l in 0..<32 {
                let q = b[qsBase + 32 * c + l]
                var lo = Int(q & 0xF), hi = Int(q >> 4)
                if type == .q5_K {
                    let qh = b[16 + l]
                    if qh & (1 << (2 * c)) != 0 { lo += 16 }
                    if qh & (1 << (2 * c + 1)) != 0 { hi += 16 }
                }
                y[64 * c + l] = h(0) * s1 * Float(lo) - h(2) * m1
                y[64 * c + 32 + l] = h(0) * s2 * Float(hi) - h(2) * m2
            }
        }
    case .q6_K:
        let d = h(208)
        for n in 0..<2 {
            for l in 0..<32 {
                let ql0 = b[64 * n + l], ql1 = b[64 * n + l + 32], qh = b[128 + 32 * n + l]
                func sc(_ k: Int) -> Float { Float(Int8(bitPattern: b[192 + 8 * n + l / 16 + k])) }
                y[128 * n + l] = d * sc(0) * Float(Int((ql0 & 0xF) | ((qh & 3) << 4)) - 32)
                y[128 * n + l + 32] = d * sc(2) * Float(Int((ql1 & 0xF) | (((qh >> 2) & 3) << 4)) - 32)
                y[128 * n + l + 64] = d * sc(4) * Float(Int((ql0 >> 4) | (((qh >> 4) & 3) << 4)) - 32)
                y[128 * n + l + 96] = d * sc(6) * Float(Int((ql1 >> 4) | (((qh >> 6) & 3) << 4)) - 32)
            }
        }
    default: break
    }
    return y
}

func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-6,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > tolerance * max(1, abs(e)) {
        Issue.record("element \(i): \(a) != \(e)", sourceLocation: sourceLocation)
        return
    }
}

/// The 12 packed scale bytes for K-quants: scales 1,2,3,4,17,5,6,7 and mins 0,1,0,2,33,0,0,3.
let packedKScales: [UInt8] = [0x41, 2, 3, 4, 0x80, 1, 0, 2, 0x11, 0x05, 0x06, 0x37]
let kScales: [Float] = [1, 2, 3, 4, 17, 5, 6, 7]
let kMins: [Float] = [0, 1, 0, 2, 33, 0, 0, 3]

// MARK: Hand-made blocks

@Suite struct DequantizationBlockTests {
    @Test func q8_0() {
        let qs: [Int8] = (0..<32).map { (i: Int) -> Int8 in Int8(i * 8 - 128) }   // -128, -120, ..., 120
        let y = dequantized(.q8_0, halfBytes(0.5) + qs.map { UInt8(bitPattern: $0) })
        let expected: [Float] = (0..<32).map { (i: Int) -> Float in Float(i * 8 - 128) * 0.5 }
        #expect(y == expected)
        #expect(y[0] == -64 && y[31] == 60)
    }

    @Test func q4_0() {
        let qs: [UInt8] = (0..<16).map { (i: Int) -> UInt8 in UInt8(i) | UInt8(15 - i) << 4 }
        let y = dequantized(.q4_0, halfBytes(2) + qs)
        let low: [Float] = (0..<16).map { (i: Int) -> Float in Float(i - 8) * 2 }
        let high: [Float] = (0..<16).map { (i: Int) -> Float in Float(7 - i) * 2 }
        #expect(Array(y[0..<16]) == low)
        #expect(Array(y[16..<32]) == high)
        #expect(y[0] == -16 && y[15] == 14 && y[16] == 14 && y[31] == -16)
    }

    @Test func q4_1() {
        let qs: [UInt8] = (0..<16).map { (i: Int) -> UInt8 in UInt8(i) | UInt8(15 - i) << 4 }
        let y = dequantized(.q4_1, halfBytes(0.5) + halfBytes(-1) + qs)
        let low: [Float] = (0..<16).map { (i: Int) -> Float in Float(i) * 0.5 - 1 }
        let high: [Float] = (0..<16).map { (i: Int) -> Float in Float(15 - i) * 0.5 - 1 }
        #expect(Array(y[0..<16]) == low)
        #expect(Array(y[16..<32]) == high)
    }

    @Test func q5_0() {
        // qh bit 3 → element 3 gets +16, bit 20 → element 20; qs[0] = 0x21 → element 0 = 1, element 16 = 2.
        let qh: UInt32 = (1 << 3) | (1 << 20)
        var qs = [UInt8](repeating: 0, count: 16)
        qs[0] = 0x21
        let y = dequantized(.q5_0, halfBytes(1) + withUnsafeBytes(of: qh.littleEndian) { Array($0) } + qs)
        var expected = [Float](repeating: -16, count: 32)
        expected[0] = -15; expected[16] = -14; expected[3] = 0; expected[20] = 0
        #expect(y == expected)
    }

    @Test func q5_1() {
        let qh: UInt32 = 0xFFFF_0000   // only elements 16...31 get their fifth bit
        let y = dequantized(.q5_1, halfBytes(1) + halfBytes(0.5) + withUnsafeBytes(of: qh.littleEndian) { Array($0) }
                            + [UInt8](repeating: 0xF7, count: 16))
        #expect(Array(y[0..<16]) == [Float](repeating: 7.5, count: 16))
        #expect(Array(y[16..<32]) == [Float](repeating: 31.5, count: 16))
    }

    @Test func q4_K() {
        let qs: [UInt8] = (0..<128).map { (i: Int) -> UInt8 in UInt8(i % 16) | UInt8((i + 3) % 16) << 4 }
        let block = halfBytes(1) + halfBytes(0.5) + packedKScales + qs
        let y = dequantized(.q4_K, block)
        #expect(y[133] == 68.5)     // sub-block 4: scale 17 · nibble 5 − 0.5 · min 33
        #expect(y[165] == 40)       // sub-block 5: scale 5 · nibble 8 − 0
        #expect(y[0] == 0)          // sub-block 0: scale 1 · 0 − 0
        #expect(y[32] == 6 - 0.5)   // sub-block 1: scale 2 · 3 − 0.5 · 1
        #expect(y[255] == 7 * 2 - 1.5)  // sub-block 7, byte 127: high nibble (130 % 16) = 2; min 3
        var expected = [Float](repeating: 0, count: 256)
        for c in 0..<4 {
            for l in 0..<32 {
                let i = 32 * c + l
                expected[64 * c + l] = kScales[2 * c] * Float(i % 16) - 0.5 * kMins[2 * c]
                expected[64 * c + 32 + l] = kScales[2 * c + 1] * Float((i + 3) % 16) - 0.5 * kMins[2 * c + 1]
            }
        }
        #expect(y == expected)
        #expect(y == scalarReference(.q4_K, block))
    }

    @Test func q5_K() {
        let qh: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 * 37) }
        let qs: [UInt8] = (0..<128).map { (i: Int) -> UInt8 in UInt8(i % 16) | UInt8((i + 3) % 16) << 4 }
        let block = halfBytes(1) + halfBytes(0.5) + packedKScales + qh + qs
        let y = dequantized(.q5_K, block)
        // Element 133: chunk 2, l = 5, low nibble 69 % 16 = 5, qh[5] = 185 = 0b1011_1001 has bit 4 → +16.
        #expect(y[133] == 17 * 21 - 16.5)
        // Element 165: chunk 2 high half, l = 5, nibble 8, bit 5 of 185 is 1 → 24; scale 5, min 0.
        #expect(y[165] == 120)
        // Element 1: chunk 0, l = 1, nibble 1, qh[1] = 37 = 0b10_0101 has bit 0 → 17; scale 1.
        #expect(y[1] == 17)
        #expect(y == scalarReference(.q5_K, block))
    }

    @Test func q6_K() {
        let ql: [UInt8] = (0..<128).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }
        let qh: [UInt8] = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 29) }
        let scales: [Int8] = [1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 15, -16]
        let block = ql + qh + scales.map { UInt8(bitPattern: $0) } + halfBytes(0.25)
        let y = dequantized(.q6_K, block)
        // Element 0: ql[0] = 1 → low 1, qh[0] = 0 → q = 1 − 32 = −31, scale 1: −7.75.
        #expect(y[0] == -7.75)
        // Element 17: ql[17] = 120 → low 8, qh[17] = 493 & 255 = 237 → bits 0-1 = 1 → q = 24 − 32 = −8; scale[1] = −2.
        #expect(y[17] == 0.25 * -2 * -8)
        // Element 200: second half, l = 8, +64 group: ql[72] = 505 & 255 = 249 → high 15; qh[40] = 1160 & 255 = 136,
        // bits 4-5 = 0 → q = 15 − 32 = −17; scale index 8 + 0 + 4 = 12 → 13.
        #expect(y[200] == 0.25 * 13 * -17)
        #expect(y == scalarReference(.q6_K, block))
    }

    @Test func floatTypes() {
        let values: [Float] = (0..<37).map { Float($0) * 0.75 - 9 }   // 37: exercises the 16-lane loop and the tail
        let f16 = values.flatMap { halfBytes($0) }
        #expect(dequantized(.f16, f16) == values)
        let bf16 = values.flatMap { v -> [UInt8] in let b = bfloat16Bits(v); return [UInt8(b & 0xFF), UInt8(b >> 8)] }
        #expect(dequantized(.bf16, bf16) == values)
        let f32 = values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        #expect(dequantized(.f32, f32) == values)
    }

    @Test func multipleBlocksAndParallelPath() {
        // 40 000 Q8_0 blocks (1.28 M values) goes through the parallel path; compare with the serial result.
        var bytes: [UInt8] = []
        var state: UInt32 = 12345
        for _ in 0..<40_000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes += halfBytes(Float(state >> 20) / 4096 + 0.01)
            for _ in 0..<32 { state = state &* 1_664_525 &+ 1_013_904_223; bytes.append(UInt8(state >> 24)) }
        }
        let count = 40_000 * 32
        let serial = dequantized(.q8_0, bytes)
        var parallel = [Float](repeating: .nan, count: count)
        bytes.withUnsafeBytes { raw in
            parallel.withUnsafeMutableBufferPointer {
                Dequantizer.dequantizeParallel(.q8_0, source: raw.baseAddress!, count: count, into: $0.baseAddress!)
            }
        }
        #expect(serial == parallel)
        #expect(Array(serial[32..<64]) == dequantized(.q8_0, Array(bytes[34..<68])))
    }

    @Test(arguments: randomBlockReferences.indices)
    func randomBlockMatchesGGUFPy(_ index: Int) {
        let reference = randomBlockReferences[index]
        let bytes = hexBytes(reference.hex)
        #expect(bytes.count == reference.type.typeSize)
        expectClose(dequantized(reference.type, bytes), reference.values)
        expectClose(scalarReference(reference.type, bytes), reference.values)
    }
}

// MARK: Real models

@Suite struct DequantizationRealModelTests {
    @Test(arguments: ["gemma3-270m", "smollm2-135m", "qwen2.5-0.5b"])
    func everyTensorDequantisesToFiniteValues(_ model: String) throws {
        guard let url = try TestResources.model(model) else { return }
        let gguf = try GGUFFile(contentsOf: url)
        for tensor in gguf.tensors {
            let values = try gguf.floats(tensor.name)
            #expect(values.count == tensor.elementCount, "\(tensor.name)")
            let allFinite = values.allSatisfy { $0.isFinite }
            #expect(allFinite, "\(tensor.name) (\(tensor.type)) has non-finite values")
        }
    }

    @Test(arguments: ["gemma3-270m", "smollm2-135m", "qwen2.5-0.5b"])
    func valuesMatchGGUFPy(_ model: String) throws {
        guard let url = try TestResources.model(model) else { return }
        let gguf = try GGUFFile(contentsOf: url)
        let references = realModelReferences.filter { $0.model == model }
        #expect(references.count >= 14)
        for reference in references {
            let info = try gguf.requireTensor(reference.tensor)
            let row = reference.index / info.rowLength
            let column = reference.index % info.rowLength
            let values = try gguf.dequantizeRows(reference.tensor, rows: row..<(row + 1))
            #expect(abs(values[column] - reference.value) <= 1e-6 * max(1, abs(reference.value)),
                    "\(reference.tensor)[\(reference.index)] = \(values[column]), gguf-py \(reference.value)")
        }
    }

    @Test func rowsEqualSlicesOfTheWholeTensor() throws {
        guard let url = try TestResources.model("gemma3-270m") else { return }
        let gguf = try GGUFFile(contentsOf: url)
        let name = "blk.0.ffn_down.weight"   // Q6_K
        let info = try gguf.requireTensor(name)
        let all = try gguf.floats(name)
        let rows = [0, 5, info.rowCount - 1, 5]
        let selected = try gguf.dequantizeRows(name, rows: rows)
        for (position, row) in rows.enumerated() {
            #expect(Array(selected[(position * info.rowLength)..<((position + 1) * info.rowLength)])
                    == Array(all[(row * info.rowLength)..<((row + 1) * info.rowLength)]))
        }
        let embedding = try gguf.dequantizeRows("token_embd.weight", rows: [2, 262_143])
        #expect(embedding.count == 2 * 640)
        var buffer = [Float](repeating: 0, count: 640)
        try buffer.withUnsafeMutableBufferPointer { try gguf.dequantizeRow("token_embd.weight", row: 262_143, into: $0) }
        #expect(buffer == Array(embedding[640...]))
        let error = #expect(throws: FormatError.self) { try gguf.dequantizeRows("token_embd.weight", rows: [262_144]) }
        #expect(error?.description.contains("outside 0..<262144") == true)
    }
}

@Suite struct TensorTypeTableTests {
    /// Block geometry checked against gguf-py 0.19's GGML_QUANT_SIZES (Q8_1 follows ggml's current 36-byte block).
    @Test func blockGeometryMatchesGGML() {
        let expected: [String: (Int, Int)] = [
            "F32": (1, 4), "F16": (1, 2), "Q4_0": (32, 18), "Q4_1": (32, 20), "Q5_0": (32, 22), "Q5_1": (32, 24),
            "Q8_0": (32, 34), "Q8_1": (32, 36), "Q2_K": (256, 84), "Q3_K": (256, 110), "Q4_K": (256, 144),
            "Q5_K": (256, 176), "Q6_K": (256, 210), "Q8_K": (256, 292), "IQ2_XXS": (256, 66), "IQ2_XS": (256, 74),
            "IQ3_XXS": (256, 98), "IQ1_S": (256, 50), "IQ4_NL": (32, 18), "IQ3_S": (256, 110), "IQ2_S": (256, 82),
            "IQ4_XS": (256, 136), "I8": (1, 1), "I16": (1, 2), "I32": (1, 4), "I64": (1, 8), "F64": (1, 8),
            "IQ1_M": (256, 56), "BF16": (1, 2), "TQ1_0": (256, 54), "TQ2_0": (256, 66), "MXFP4": (32, 17),
            "NVFP4": (64, 36), "Q1_0": (128, 18),
        ]
        #expect(GGUFTensorType.allCases.count == expected.count)
        for type in GGUFTensorType.allCases {
            let geometry = expected[type.name]
            #expect(geometry?.0 == type.blockSize && geometry?.1 == type.typeSize, "\(type.name)")
            #expect(GGUFTensorType(name: type.name.lowercased()) == type)
        }
        #expect(GGUFTensorType.q8_0.byteCount(elements: 640) == 680)
        #expect(GGUFTensorType.q4_K.byteCount(elements: 100) == nil)
    }
}
