import CLNAKernels
import LNAFormats
import LNATensor
import Testing

/// The int8 kernels (`--precision int8`) on random GGUF blocks of every supported type:
/// - the integer stage equals llama.cpp's integer arithmetic, computed here from the block definitions (each
///   sub-block's Σ scale·q·a and Σ a; llama.cpp's per-block sumi is the sum of its sub-blocks), and the
///   activation quants equal llama.cpp's quantize_row_q8_0_ref / quantize_row_q8_K_ref rounding;
/// - the float result is within the documented bound of the float64 product of the dequantised weight (lna's
///   Dequantizer) with the exact float activations (docs/kernels.md, "int8 arithmetic");
/// - the VNNI kernel equals the plain C kernel bit for bit (GEMV and GEMM, with bias).
@Suite struct Int8KernelTests {
    struct BlockType: CustomStringConvertible, Sendable {
        let type: GGUFTensorType
        let inputs: Int   // legacy types: 320 = 10 blocks, so the last super-block is padded; 384, 640: half padded
        var description: String { "\(type.name), \(inputs) inputs" }
        var isK: Bool { type.blockSize == 256 }
    }

    static let types: [BlockType] = [
        .init(type: .q8_0, inputs: 320), .init(type: .q4_0, inputs: 320), .init(type: .q4_1, inputs: 320),
        .init(type: .q5_0, inputs: 320), .init(type: .q4_K, inputs: 512), .init(type: .q5_K, inputs: 512),
        .init(type: .q6_K, inputs: 512), .init(type: .q5_0, inputs: 384), .init(type: .q4_1, inputs: 640),
    ]
    static let outputs = 5

    /// Random blocks with plausible fp16 scales (random bytes everywhere else are valid quants).
    static func randomRows(_ t: BlockType, seed: UInt64) -> [UInt8] {
        var g = SplitMix64(seed: seed)
        let blocks = outputs * t.inputs / t.type.blockSize, size = t.type.typeSize
        var raw = (0..<(blocks * size)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        func putHalf(_ offset: Int) {
            let value = Float16(0.001 + 0.01 * Float(g.next() % 1000) / 1000)
            raw[offset] = UInt8(value.bitPattern & 0xFF)
            raw[offset + 1] = UInt8(value.bitPattern >> 8)
        }
        for b in 0..<blocks {
            let base = b * size
            switch t.type {
            case .q6_K: putHalf(base + 208)
            case .q4_K, .q5_K, .q4_1: putHalf(base); putHalf(base + 2)
            default: putHalf(base)
            }
        }
        return raw
    }

    /// Activations with a different dynamic range per 32 values, one all-zero block of 32, and a few outliers.
    static func activations(rows: Int, inputs: Int, seed: UInt64) -> [Float] {
        var x = randomValues(rows * inputs, seed: seed, scale: 2)
        for i in x.indices { x[i] *= Float(1 + (i / 32) % 5) }
        for i in 0..<32 { x[64 + i] = 0 }
        x[7] = 40
        if rows > 1 { x[inputs + 300] = -55 }
        return x
    }

    // MARK: block definitions (ggml-common.h), element by element

    static func half(_ b: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: b.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    static func scaleMin(_ s: UnsafePointer<UInt8>, _ j: Int) -> (Int, Int) {
        j < 4 ? (Int(s[j] & 63), Int(s[j + 4] & 63))
            : (Int((s[j + 4] & 0x0F) | ((s[j - 4] >> 6) << 4)), Int((s[j + 4] >> 4) | ((s[j] >> 6) << 4)))
    }

    /// Element `e` of one block: the signed integer quant (offset removed), its integer scale and integer min
    /// (K-quants; the legacy types have scale 1 and min 0, Q4_1's float m is not an integer term).
    static func element(_ type: GGUFTensorType, _ block: UnsafeRawPointer, _ e: Int) -> (q: Int, scale: Int, min: Int) {
        let b = block.assumingMemoryBound(to: UInt8.self)
        func nibble(_ byte: UInt8, high: Bool) -> Int { Int(high ? byte >> 4 : byte & 15) }
        switch type {
        case .q8_0: return (Int(Int8(bitPattern: b[2 + e])), 1, 0)
        case .q4_0: return (nibble(b[2 + e % 16], high: e >= 16) - 8, 1, 0)
        case .q4_1: return (nibble(b[4 + e % 16], high: e >= 16), 1, 0)
        case .q5_0:
            let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
            return (nibble(b[6 + e % 16], high: e >= 16) | Int((qh >> UInt32(e)) & 1) << 4 - 16, 1, 0)
        case .q4_K, .q5_K:
            let c = e / 64, l = e % 32, high = e % 64 >= 32, j = 2 * c + (high ? 1 : 0)
            var q = nibble(b[(type == .q5_K ? 48 : 16) + 32 * c + l], high: high)
            if type == .q5_K { q |= Int((b[16 + l] >> UInt8(j)) & 1) << 4 }
            let (scale, min) = scaleMin(b + 4, j)
            return (q, scale, min)
        case .q6_K:
            let h = e / 128, group = (e % 128) / 32, l = e % 32
            let low = nibble(b[64 * h + l + (group % 2 == 1 ? 32 : 0)], high: group >= 2)
            let top = Int((b[128 + 32 * h + l] >> UInt8(2 * group)) & 3)
            return ((low | top << 4) - 32, Int(Int8(bitPattern: b[192 + e / 16])), 0)
        default: fatalError("no int8 kernel for \(type)")
        }
    }

    /// llama.cpp's activation quantisation of one row: the quants and each element's scale.
    static func quantiseLikeLlamaCpp(_ x: ArraySlice<Float>, k: Bool) -> (a: [Int], scale: [Float]) {
        let x = Array(x), block = k ? 256 : 32
        var a: [Int] = [], scale: [Float] = []
        for start in stride(from: 0, to: x.count, by: block) {
            let xs = x[start..<(start + block)]
            if k {   // quantize_row_q8_K_ref
                var max: Float = 0, amax: Float = 0
                for v in xs where abs(v) > amax { amax = abs(v); max = v }
                guard amax != 0 else { a += Array(repeating: 0, count: block); scale += Array(repeating: 0, count: block); continue }
                let iscale = -127 / max
                a += xs.map { Swift.min(127, Int((iscale * $0).rounded(.toNearestOrEven))) }
                scale += Array(repeating: 1 / iscale, count: block)
            } else {   // quantize_row_q8_0_ref: the product uses the fp16 scale
                let amax = xs.map(abs).max()!, d = amax / 127, id = d != 0 ? 1 / d : 0
                a += xs.map { Int(($0 * id).rounded()) }
                scale += Array(repeating: Float(Float16(d)), count: block)
            }
        }
        return (a, scale)
    }

    static func interleaved(_ e: Int) -> Int { 64 * ((e & 15) >> 2) + 4 * (e >> 4) + (e & 3) }

    // MARK: tests

    @Test(arguments: types)
    func integerSumsEqualLlamaCppArithmetic(_ t: BlockType) throws {
        let raw = Self.randomRows(t, seed: 17 + UInt64(t.type.rawValue))
        let x = Self.activations(rows: 2, inputs: t.inputs, seed: 3)
        let blocks = lna_int8_blocks(t.inputs), rowBytes = t.inputs / t.type.blockSize * t.type.typeSize
        let offset = lna_int8_offset_of(Int32(t.type.rawValue))
        var w = [lna_int8_weights](repeating: lna_int8_weights(), count: Self.outputs * blocks)
        var a = [lna_int8_activations](repeating: lna_int8_activations(), count: 2 * blocks)
        let kind = lna_int8_activation_kind(rawValue: UInt32(lna_int8_activation_kind_of(Int32(t.type.rawValue))))
        raw.withUnsafeBytes { r in
            w.withUnsafeMutableBufferPointer { wp in
                for o in 0..<Self.outputs {
                    #expect(lna_int8_pack_row(Int32(t.type.rawValue), r.baseAddress! + o * rowBytes, t.inputs, wp.baseAddress! + o * blocks) == 0)
                }
            }
        }
        x.withUnsafeBufferPointer { xp in
            a.withUnsafeMutableBufferPointer { ap in
                for row in 0..<2 { lna_int8_quantize_row(kind, xp.baseAddress! + row * t.inputs, t.inputs, ap.baseAddress! + row * blocks) }
            }
        }
        var checked = 0
        for row in 0..<2 {
            let expected = Self.quantiseLikeLlamaCpp(x[(row * t.inputs)..<((row + 1) * t.inputs)], k: t.isK)
            for o in 0..<Self.outputs {
                for s in 0..<blocks {
                    let ab = a[row * blocks + s]
                    let quants = withUnsafeBytes(of: ab.a) { Array($0.bindMemory(to: Int8.self)) }
                    let scales = withUnsafeBytes(of: ab.scale) { Array($0.bindMemory(to: Float.self)) }
                    for vnni in Int8Kernel.vnniAvailable ? [0, 1] : [0] {
                        var ip = [Int32](repeating: 0, count: 16), sums = [Int32](repeating: 0, count: 16)
                        lna_int8_integer_sums(Int32(vnni), &w[o * blocks + s], &a[row * blocks + s], offset, &ip, &sums)
                        for j in 0..<16 {
                            var wantIP = 0, wantSum = 0
                            for i in 0..<16 {
                                let e = s * 256 + 16 * j + i
                                guard e < t.inputs else { continue }   // padding: scale 0, no contribution
                                let blockIndex = o * (t.inputs / t.type.blockSize) + e / t.type.blockSize
                                let (q, scale, _) = raw.withUnsafeBytes {
                                    Self.element(t.type, $0.baseAddress! + blockIndex * t.type.typeSize, e % t.type.blockSize)
                                }
                                #expect(Int(quants[Self.interleaved(16 * j + i)]) == expected.a[e], "\(t) activation \(e)")
                                wantIP += scale * q * expected.a[e]
                                wantSum += expected.a[e]
                            }
                            if s * 256 + 16 * j < t.inputs {
                                let e = s * 256 + 16 * j
                                #expect(scales[j] == expected.scale[e], "\(t) activation scale of sub-block \(j)")
                            }
                            #expect(Int(ip[j]) == wantIP, "\(t) row \(row) output \(o) block \(s) sub-block \(j) vnni \(vnni)")
                            #expect(Int(sums[j]) == wantSum)
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked >= 2 * Self.outputs * blocks * 16)
    }

    @Test(arguments: types)
    func withinErrorBoundOfFloat64Reference(_ t: BlockType) throws {
        let raw = Self.randomRows(t, seed: 101 + UInt64(t.type.rawValue))
        let rows = 9, inputs = t.inputs, outputs = Self.outputs
        let x = Self.activations(rows: rows, inputs: inputs, seed: 5)
        let rowBytes = inputs / t.type.blockSize * t.type.typeSize
        var dequantised = [Float](repeating: 0, count: outputs * inputs)
        raw.withUnsafeBytes { r in
            dequantised.withUnsafeMutableBufferPointer { Dequantizer.dequantize(t.type, source: r.baseAddress!, count: outputs * inputs, into: $0.baseAddress!) }
        }
        let bias = (0..<outputs).map { Float($0) - 2 }
        let layer = try raw.withUnsafeBytes { r in
            try Int8PackedLinear(ggmlType: Int(t.type.rawValue), outputs: outputs, inputs: inputs, bias: bias, kernel: .plain) {
                r.baseAddress! + $0 * rowBytes
            }
        }
        var y = [Float](repeating: 0, count: rows * outputs)
        layer.apply(x, rows: rows, into: &y)
        var worstShare = 0.0
        for r in 0..<rows {
            let quantised = Self.quantiseLikeLlamaCpp(x[(r * inputs)..<((r + 1) * inputs)], k: t.isK)
            for o in 0..<outputs {
                var exact = Double(bias[o]), bound = 1e-6, magnitude = 0.0
                for i in 0..<inputs {
                    let wv = Double(dequantised[o * inputs + i]), xv = Double(x[r * inputs + i])
                    exact += wv * xv
                    magnitude += abs(wv * xv)
                    // |x − d'·a| ≤ d/2 + 127.5·|d − d'| ≤ 0.5625·d (d' the fp16 scale of Q8_0 blocks; Q8_K: d/2)
                    bound += abs(wv) * 0.5625 * Double(abs(quantised.scale[i]))
                }
                bound += 1e-5 * magnitude   // float32 scales and sums
                let error = abs(Double(y[r * outputs + o]) - exact)
                worstShare = max(worstShare, error / bound)
                #expect(error <= bound, "\(t) row \(r) output \(o): \(y[r * outputs + o]) vs \(exact), bound \(bound)")
            }
        }
        print("int8 \(t): worst error / bound \(worstShare)")
    }

    @Test(arguments: types)
    func vnniEqualsPlainBitForBit(_ t: BlockType) throws {
        guard Int8Kernel.vnniAvailable else {
            print("int8 \(t): this CPU has no AVX512_VNNI; the VNNI kernel is not run (the plain kernel is tested)")
            return
        }
        let raw = Self.randomRows(t, seed: 7 + UInt64(t.type.rawValue))
        let rowBytes = t.inputs / t.type.blockSize * t.type.typeSize
        let bias = (0..<Self.outputs).map { Float($0) * 0.25 }
        let layers = try [Int8Kernel.vnni, .plain].map { kernel in
            try raw.withUnsafeBytes { r in
                try Int8PackedLinear(ggmlType: Int(t.type.rawValue), outputs: Self.outputs, inputs: t.inputs, bias: bias,
                                     kernel: kernel) { r.baseAddress! + $0 * rowBytes }
            }
        }
        for rows in [1, 2, 9, 50] {   // GEMV, two-row GEMV, whole tiles, tiles plus a leftover row
            let x = Self.activations(rows: rows, inputs: t.inputs, seed: 11)
            var yVNNI = [Float](repeating: 0, count: rows * Self.outputs), yPlain = yVNNI
            layers[0].apply(x, rows: rows, into: &yVNNI)
            layers[1].apply(x, rows: rows, into: &yPlain)
            #expect(yVNNI.map(\.bitPattern) == yPlain.map(\.bitPattern), "\(t) rows \(rows)")
        }
    }

    /// The AVX-512 quantiser (what the VNNI layers use) writes the plain quantiser's blocks byte for byte: random
    /// rows with an all-zero block and outliers, exact halves of the step (Q8_0 rounds them away from zero, Q8_K
    /// to even), the largest magnitude with both signs (Q8_K takes the first), a padded legacy super-block.
    @Test(arguments: [false, true])
    func vnniQuantiserEqualsPlain(_ k: Bool) {
        guard Int8Kernel.vnniAvailable else {
            print("int8 quantiser: this CPU has no AVX512_VNNI; the AVX-512 quantiser is not run")
            return
        }
        let rows = 3, inputs = k ? 512 : 576
        var x = Self.activations(rows: rows, inputs: inputs, seed: 23)
        x[inputs] = 127                                                   // row 1, first block: step 1
        for i in 1..<32 { x[inputs + i] = Float(i) - 15.5 }               // ±0.5 … ±15.5
        x[inputs + 40] = -127
        let blocks = lna_int8_blocks(inputs)
        let kind = k ? LNA_INT8_ACT_Q8_K : LNA_INT8_ACT_Q8_0
        var plain = [lna_int8_activations](repeating: lna_int8_activations(), count: rows * blocks), vnni = plain
        x.withUnsafeBufferPointer { xp in
            plain.withUnsafeMutableBufferPointer { p in
                vnni.withUnsafeMutableBufferPointer { v in
                    for r in 0..<rows {
                        lna_int8_quantize_row(kind, xp.baseAddress! + r * inputs, inputs, p.baseAddress! + r * blocks)
                        lna_int8_quantize_row_vnni(kind, xp.baseAddress! + r * inputs, inputs, v.baseAddress! + r * blocks)
                    }
                }
            }
        }
        let plainBytes = plain.withUnsafeBytes { Array($0) }, vnniBytes = vnni.withUnsafeBytes { Array($0) }
        #expect(plainBytes == vnniBytes, "\(k ? "Q8_K" : "Q8_0") blocks differ")
        #expect(plain[blocks].scale.0 != 0 && plainBytes.contains { $0 != 0 })
    }

    @Test func refusesWhatItCannotMultiply() throws {
        let raw = [UInt8](repeating: 0, count: 34 * 10)
        raw.withUnsafeBytes { r in
            #expect(throws: TensorError.self) {   // F32 has no int8 kernel
                try Int8PackedLinear(ggmlType: 0, outputs: 1, inputs: 32, kernel: .plain) { _ in r.baseAddress! }
            }
            #expect(throws: TensorError.self) {   // a Q4_K row must hold whole 256-element super-blocks
                try Int8PackedLinear(ggmlType: 12, outputs: 1, inputs: 320, kernel: .plain) { _ in r.baseAddress! }
            }
            #expect(throws: TensorError.self) {
                try Int8PackedLinear(ggmlType: 8, outputs: 2, inputs: 32, bias: [1], kernel: .plain) { _ in r.baseAddress! }
            }
        }
        #expect(!Int8PackedLinear.supports(ggmlType: 1) && Int8PackedLinear.supports(ggmlType: 14))
    }
}
