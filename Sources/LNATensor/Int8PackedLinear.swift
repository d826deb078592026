// A linear layer computed in int8 arithmetic (`--precision int8`): the GGUF weight's quantised blocks are repacked
// once at load into 256-element super-blocks (CLNAInt8.h: unsigned quants interleaved so one `vpdpbusd` lane sums
// one 16-element sub-block, with the sub-block's integer scale, float scale and additive term); every call
// quantises each activation row as llama.cpp does (Q8_0-style blocks of 32 for Q8_0/Q4_0/Q4_1/Q5_0, Q8_K blocks
// of 256 for Q4_K/Q5_K/Q6_K) and multiplies with int32 sums per sub-block, then float scales. Error bounds:
// docs/kernels.md ("int8 arithmetic").

import CLNAKernels

/// Which implementation multiplies: the VNNI kernel (what models use; needs AVX512_VNNI) or the plain C one
/// (same integer sums and float steps, same bits; for tests on CPUs without VNNI).
public enum Int8Kernel: String, Sendable {
    case vnni, plain

    /// Whether this CPU runs the VNNI kernel.
    public static var vnniAvailable: Bool { lna_int8_vnni_available() != 0 }
}

/// `y = x·Wᵀ (+ b)` with W a GGUF-quantised weight (Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K) kept as int8 blocks.
///
/// ```swift
/// let raw = try gguf.rawBytes("blk.0.ffn_down.weight")          // Q4_K, [640 outputs × 2048 inputs]
/// let rowBytes = raw.count / 640
/// let down = try Int8PackedLinear(ggmlType: 12, outputs: 640, inputs: 2048) { raw.baseAddress! + $0 * rowBytes }
/// down.apply(x, rows: tokens, into: y)
/// ```
public final class Int8PackedLinear: @unchecked Sendable {
    // @unchecked: the packed blocks and bias are written in init only.

    public let outputs: Int
    public let inputs: Int
    /// The GGUF tensor type id of the source weight (12 = Q4_K, …).
    public let ggmlType: Int
    public let kernel: Int8Kernel
    let activationKind: lna_int8_activation_kind
    let offset: Int32
    /// Which optional steps the type and row length need (`lna_int8_flags_of`: integer scales, additive terms, a
    /// half-padded last super-block).
    let flags: Int32
    /// Super-blocks per row (inputs rounded up to 256).
    let blocks: Int
    let weights: UnsafeMutablePointer<lna_int8_weights>
    let bias: [Float]?

    /// Whether `ggmlType` (a GGUF tensor type id) can be multiplied in int8.
    public static func supports(ggmlType: Int) -> Bool { lna_int8_activation_kind_of(Int32(ggmlType)) >= 0 }

    /// Repacks the weight: `row(o)` gives the start of output `o`'s quantised row in the file (GGUF rows are whole
    /// blocks, so selecting or reordering rows keeps them valid).
    ///
    /// - Throws: `TensorError.invalidArgument` for an unsupported type, a row length the type cannot have, a bias
    ///   of the wrong length, or `.vnni` on a CPU without AVX512_VNNI.
    public init(ggmlType: Int, outputs: Int, inputs: Int, bias: [Float]? = nil, kernel: Int8Kernel = .vnni,
                row: (Int) throws -> UnsafeRawPointer) throws {
        let kind = lna_int8_activation_kind_of(Int32(ggmlType))
        guard kind >= 0 else {
            throw TensorError.invalidArgument("Int8PackedLinear: GGUF type \(ggmlType) has no int8 kernel (Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K do)")
        }
        let blockLength = kind == Int32(LNA_INT8_ACT_Q8_K.rawValue) ? 256 : 32
        guard outputs > 0, inputs > 0, inputs % blockLength == 0 else {
            throw TensorError.invalidArgument("Int8PackedLinear: \(outputs) × \(inputs) weight; inputs must be a positive multiple of \(blockLength) for GGUF type \(ggmlType)")
        }
        if let bias, bias.count != outputs {
            throw TensorError.sizeMismatch("Int8PackedLinear: bias has \(bias.count) values, expected \(outputs)")
        }
        if kernel == .vnni && !Int8Kernel.vnniAvailable {
            throw TensorError.invalidArgument("int8 arithmetic needs AVX512_VNNI and this CPU has \(KernelSet.cpuDescription); use --precision float32")
        }
        self.ggmlType = ggmlType
        self.outputs = outputs
        self.inputs = inputs
        self.kernel = kernel
        self.bias = bias
        activationKind = lna_int8_activation_kind(rawValue: UInt32(kind))
        offset = lna_int8_offset_of(Int32(ggmlType))
        flags = lna_int8_flags_of(Int32(ggmlType), inputs)
        blocks = lna_int8_blocks(inputs)
        weights = .allocate(capacity: outputs * blocks)
        do {
            for o in 0..<outputs {
                guard lna_int8_pack_row(Int32(ggmlType), try row(o), inputs, weights + o * blocks) == 0 else {
                    throw TensorError.invalidArgument("Int8PackedLinear: row \(o) could not be repacked")
                }
            }
        } catch {
            weights.deallocate()
            throw error
        }
    }

    deinit { weights.deallocate() }

    /// Bytes held by the repacked weight (400 per 256 weights) and bias.
    public var byteCount: Int { outputs * blocks * MemoryLayout<lna_int8_weights>.stride + (bias?.count ?? 0) * 4 }

    /// `y[r, o] = Σ_i x[r, i]·W[o, i] (+ b[o])` for `rows` rows of `x` (`[rows, inputs]`, y `[rows, outputs]`).
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        let quantised = Self.quantise(x, rows: rows, inputs: inputs, kind: activationKind, kernel: kernel)
        defer { quantised.deallocate() }
        multiply(quantised, rows: rows, into: y)
    }

    /// Several layers of one input: each activation kind is quantised once.
    public static func apply(_ layers: [Int8PackedLinear], to x: UnsafePointer<Float>, rows: Int,
                             into outputs: [UnsafeMutablePointer<Float>]) throws {
        guard layers.count == outputs.count else {
            throw TensorError.sizeMismatch("Int8PackedLinear.apply: \(layers.count) layers, \(outputs.count) outputs")
        }
        guard let inputs = layers.first?.inputs, rows > 0 else { return }
        guard layers.allSatisfy({ $0.inputs == inputs }) else {
            throw TensorError.sizeMismatch("Int8PackedLinear.apply: the layers differ in inputs")
        }
        // Keyed by activation kind and kernel (both quantisers give the same blocks; the plain one is the oracle).
        var quantised: [String: UnsafeMutablePointer<lna_int8_activations>] = [:]
        defer { quantised.values.forEach { $0.deallocate() } }
        for (layer, y) in zip(layers, outputs) {
            let key = "\(layer.activationKind.rawValue) \(layer.kernel)"
            let a = quantised[key] ?? quantise(x, rows: rows, inputs: inputs, kind: layer.activationKind, kernel: layer.kernel)
            quantised[key] = a
            layer.multiply(a, rows: rows, into: y)
        }
    }

    /// `rows` activation rows quantised per row (in parallel over rows), with AVX-512 for the VNNI kernel and in
    /// plain C for the plain one (the same blocks bit for bit).
    static func quantise(_ x: UnsafePointer<Float>, rows: Int, inputs: Int, kind: lna_int8_activation_kind,
                         kernel: Int8Kernel) -> UnsafeMutablePointer<lna_int8_activations> {
        let blocks = lna_int8_blocks(inputs)
        let out = UnsafeMutablePointer<lna_int8_activations>.allocate(capacity: rows * blocks)
        let source = UncheckedSendable(x), target = UncheckedSendable(out)
        let quantiseRow: lna_int8_quantize_fn = kernel == .vnni ? lna_int8_quantize_row_vnni : lna_int8_quantize_row
        ComputePool.shared.parallelChunks(total: rows, minimumChunk: 16) { range in
            for r in range {
                quantiseRow(kind, source.value + r * inputs, inputs, target.value + r * blocks)
            }
        }
        return out
    }

    /// Tasks: chunks of outputs × chunks of 48 rows, about 4 per thread. Both chunk sizes are multiples of 12, so
    /// the VNNI kernel's tiles (4 outputs × 3 rows; 12 leaves room to retune) rarely meet an edge.
    func multiply(_ a: UnsafeMutablePointer<lna_int8_activations>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let rowChunk = 48, rowChunks = (rows + rowChunk - 1) / rowChunk
        let work = outputs * rows * inputs
        let wanted = work < (1 << 20) ? 1 : 4 * ComputePool.shared.threadCount
        let outputChunks = max(1, min(outputs / 16, (wanted + rowChunks - 1) / rowChunks))
        let outputsPerChunk = ((outputs + outputChunks - 1) / outputChunks + 11) / 12 * 12
        let gemm: lna_int8_gemm_fn = kernel == .vnni ? lna_int8_gemm_vnni : lna_int8_gemm_plain
        let w = UncheckedSendable(weights), act = UncheckedSendable(a), out = UncheckedSendable(y)
        let blocks = blocks, offset = offset, flags = flags, outputs = outputs
        ComputePool.shared.parallelFor(count: outputChunks * rowChunks) { task in
            let o0 = (task % outputChunks) * outputsPerChunk, r0 = (task / outputChunks) * rowChunk
            let count = min(outputsPerChunk, outputs - o0), rowCount = min(rowChunk, rows - r0)
            guard count > 0, rowCount > 0 else { return }
            gemm(w.value + o0 * blocks, blocks, count, act.value + r0 * blocks, blocks, rowCount, blocks, offset,
                 flags, out.value + r0 * outputs + o0, outputs)
        }
        if let bias {
            for r in 0..<rows { for o in 0..<outputs { y[r * outputs + o] += bias[o] } }
        }
    }
}
