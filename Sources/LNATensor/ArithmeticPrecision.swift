/// The arithmetic of the model's matrix products. float32 is the default and the only exact one: counts and
/// perplexities of lna's results are defined in float32; the others trade exactness for speed (docs/performance.md).
///
/// ```swift
/// let p = ArithmeticPrecision(rawValue: "bf16")   // .bf16
/// ```
public enum ArithmeticPrecision: String, Sendable, CaseIterable, Codable {
    /// float32 multiply-adds (FMA): the default.
    case float32
    /// bf16 × bf16 products with float32 accumulation (`vdpbf16ps`): weights and activations rounded to bfloat16.
    case bf16
    /// int8 × int8 dot products with int32 accumulation (VNNI): GGUF quantised weights, activations quantised per row.
    case int8
}
