import Foundation
import CLNAKernels

/// SiLU (swish) in place: `x ← x / (1 + e^{−x})`, the gate activation of Llama, Qwen, Mistral.
///
/// ```swift
/// silu(gate, count: tokens * intermediate)
/// ```
public func silu(_ x: UnsafeMutablePointer<Float>, count: Int) {
    forEachChunk(count: count) { range in
        lna_silu(x + range.lowerBound, range.count)
    }
}

/// GELU, tanh approximation, in place: `x ← 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (Gemma's
/// `gelu_pytorch_tanh`).
///
/// ```swift
/// geluTanh(gate, count: tokens * intermediate)
/// ```
public func geluTanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
    forEachChunk(count: count) { range in
        lna_gelu_tanh(x + range.lowerBound, range.count)
    }
}

/// Soft-capping in place: `x ← cap·tanh(x / cap)` (Gemma 2 attention and final logits).
///
/// ```swift
/// softcap(logits, count: vocabulary, cap: 30)
/// ```
public func softcap(_ x: UnsafeMutablePointer<Float>, count: Int, cap: Float) {
    forEachChunk(count: count) { range in
        lna_softcap(x + range.lowerBound, range.count, cap)
    }
}

/// What turns an LM head's outputs into logits: `softcap(scale · z)`, each step optional (Cohere
/// `logit_scale`, Gemma 2 `final_logit_softcapping`). Applied in place wherever logits are made, including the
/// fused scoring of `PackedLinear.scoreRows`.
///
/// ```swift
/// LogitTransform(scale: 0.0625).apply(logits, count: vocabulary)
/// ```
public struct LogitTransform: Codable, Sendable, Equatable {
    public var scale: Float?
    public var softcap: Float?

    public init(scale: Float? = nil, softcap: Float? = nil) {
        self.scale = scale
        self.softcap = softcap
    }

    /// No scale, no cap.
    public static let identity = LogitTransform()

    /// Whether `apply` changes nothing.
    public var isIdentity: Bool { scale == nil && softcap == nil }

    public func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        if let scale { scaleInPlace(x, by: scale, count: count) }
        if let softcap { LNATensor.softcap(x, count: count, cap: softcap) }
    }
}

/// GELU, exact (erf) form, in place: `x ← 0.5·x·(1 + erf(x/√2))` (transformers' `gelu`). Scalar erf per
/// element: no released model of the supported families uses it in the hot path (Gemma's legacy `gelu` is
/// the tanh form).
///
/// ```swift
/// geluErf(gate, count: tokens * intermediate)
/// ```
public func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int) {
    forEachChunk(count: count) { range in
        for i in range {
            let v = Double(x[i])
            x[i] = Float(0.5 * v * (1 + Foundation.erf(v * 0.707_106_781_186_547_5)))
        }
    }
}

/// ReLU in place: `x ← max(x, 0)`.
///
/// ```swift
/// relu(gate, count: tokens * intermediate)
/// ```
public func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
    forEachChunk(count: count) { range in
        for i in range where !(x[i] > 0) { x[i] = x[i].isNaN ? x[i] : 0 }
    }
}
