import Foundation

/// Rotary position embedding (RoPE) applied in place to `[tokens, heads, headDimension]` query/key buffers.
///
/// Dimension pair `i` (of `rotaryDimension / 2`) rotates by `position · inverseFrequency[i]`, with
/// `inverseFrequency[i] = base^(−2i / rotaryDimension) / linearScaling` by default. The two conventions:
/// - `.neox` (HF `rotate_half`; Llama/Qwen/Gemma in HF layout, llama.cpp's NEOX type): pairs `(i, i + r/2)`;
/// - `.interleaved` (llama.cpp's "normal" type, original Meta layout): pairs `(2i, 2i + 1)`.
/// Dimensions at or beyond `rotaryDimension` are left untouched (partial rotary).
///
/// Angles are computed in Double; cos/sin for positions below `capacity` come from tables built at init,
/// positions beyond are computed on the fly. Immutable and Sendable: share one per rope configuration.
///
/// ```swift
/// let rope = try RotaryEmbedding(headDimension: 64, base: 10_000, style: .neox)
/// rope.apply(q, tokens: T, heads: 9, positions: positions)
/// ```
public struct RotaryEmbedding: Sendable {
    /// Which dimensions form a rotation pair.
    public enum Style: String, Sendable {
        /// Pairs `(i, i + rotaryDimension/2)`: HF `rotate_half`, llama.cpp NEOX.
        case neox
        /// Pairs `(2i, 2i + 1)`: llama.cpp "normal", original Llama checkpoints.
        case interleaved
    }

    /// Which dimensions are paired.
    public let style: Style
    /// Values per head in the buffers `apply` rotates.
    public let headDimension: Int
    /// Leading dimensions of each head that rotate (the rest are left as they are).
    public let rotaryDimension: Int
    /// Per-pair angular frequencies (radians per position), `rotaryDimension / 2` values.
    public let inverseFrequencies: [Double]
    /// Positions with precomputed cos/sin.
    public let capacity: Int
    /// Multiplier of cos and sin (transformers' `attention_scaling` of yarn and longrope RoPE); 1 otherwise.
    public let attentionFactor: Double
    private let cosTable: [Float]
    private let sinTable: [Float]

    /// Standard RoPE with `base` θ (10 000 for Llama 2, 1 000 000 for Qwen 2.5 / Gemma 3 global layers).
    ///
    /// ```swift
    /// let local = try RotaryEmbedding(headDimension: 256, base: 10_000, style: .neox)
    /// let global = try RotaryEmbedding(headDimension: 256, base: 1_000_000, style: .neox, linearScaling: 8)
    /// ```
    public init(headDimension: Int, base: Double, style: Style, rotaryDimension: Int? = nil,
                linearScaling: Double = 1, capacity: Int = 4096) throws {
        let rotary = rotaryDimension ?? headDimension
        guard rotary > 0, rotary % 2 == 0 else {
            throw TensorError.invalidArgument("RotaryEmbedding: rotary dimension \(rotary) must be positive and even")
        }
        let frequencies = (0..<(rotary / 2)).map { i in
            Foundation.pow(base, -2.0 * Double(i) / Double(rotary)) / linearScaling
        }
        try self.init(inverseFrequencies: frequencies, headDimension: headDimension, style: style, capacity: capacity)
    }

    /// RoPE with explicit per-pair frequencies (for Llama 3 / YaRN-style rescaled frequency tables).
    ///
    /// ```swift
    /// let rope = try RotaryEmbedding(inverseFrequencies: llama3Frequencies, headDimension: 64, style: .neox)
    /// let yarn = try RotaryEmbedding(inverseFrequencies: f, headDimension: 64, style: .neox, attentionFactor: 1.2)
    /// ```
    public init(inverseFrequencies: [Double], headDimension: Int, style: Style, capacity: Int = 4096,
                attentionFactor: Double = 1) throws {
        let rotary = inverseFrequencies.count * 2
        guard rotary > 0, rotary <= headDimension else {
            throw TensorError.invalidArgument(
                "RotaryEmbedding: \(inverseFrequencies.count) frequency pairs do not fit head dimension \(headDimension)")
        }
        self.style = style
        self.headDimension = headDimension
        self.rotaryDimension = rotary
        self.inverseFrequencies = inverseFrequencies
        self.capacity = max(0, capacity)
        self.attentionFactor = attentionFactor
        let half = rotary / 2
        var cosines = [Float](repeating: 0, count: self.capacity * half)
        var sines = [Float](repeating: 0, count: self.capacity * half)
        for position in 0..<self.capacity {
            for i in 0..<half {
                let angle = Double(position) * inverseFrequencies[i]
                cosines[position * half + i] = Float(Foundation.cos(angle) * attentionFactor)
                sines[position * half + i] = Float(Foundation.sin(angle) * attentionFactor)
            }
        }
        cosTable = cosines
        sinTable = sines
    }

    /// Rotates `x` (`[tokens, heads, headDimension]`, row-major) in place; token `t` sits at `positions[t]`.
    ///
    /// `positions` needs at least `tokens` non-negative values (packed sequences restart at 0).
    ///
    /// ```swift
    /// rope.apply(k, tokens: T, heads: kvHeads, positions: [0, 1, 2, 0, 1])
    /// ```
    public func apply(_ x: UnsafeMutablePointer<Float>, tokens: Int, heads: Int, positions: [Int]) {
        let half = rotaryDimension / 2
        positions.withUnsafeBufferPointer { positions in
            cosTable.withUnsafeBufferPointer { cosTable in
                sinTable.withUnsafeBufferPointer { sinTable in
                    forEachChunk(count: tokens, parallelAbove: max(1, (1 << 15) / max(1, heads * headDimension))) { range in
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * half) { scratch in
                            for t in range {
                                let position = positions[t]
                                var cosines = UnsafePointer(scratch.baseAddress!)
                                var sines = cosines + half
                                if position >= 0 && position < capacity {
                                    cosines = cosTable.baseAddress! + position * half
                                    sines = sinTable.baseAddress! + position * half
                                } else {
                                    for i in 0..<half {
                                        let angle = Double(position) * inverseFrequencies[i]
                                        scratch[i] = Float(Foundation.cos(angle) * attentionFactor)
                                        scratch[half + i] = Float(Foundation.sin(angle) * attentionFactor)
                                    }
                                }
                                for h in 0..<heads {
                                    rotate(x + (t * heads + h) * headDimension, cosines: cosines, sines: sines, half: half)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func rotate(_ v: UnsafeMutablePointer<Float>, cosines: UnsafePointer<Float>, sines: UnsafePointer<Float>,
                        half: Int) {
        switch style {
        case .neox:
            for i in 0..<half {
                let a = v[i], b = v[i + half]
                v[i] = a * cosines[i] - b * sines[i]
                v[i + half] = b * cosines[i] + a * sines[i]
            }
        case .interleaved:
            for i in 0..<half {
                let a = v[2 * i], b = v[2 * i + 1]
                v[2 * i] = a * cosines[i] - b * sines[i]
                v[2 * i + 1] = b * cosines[i] + a * sines[i]
            }
        }
    }
}
