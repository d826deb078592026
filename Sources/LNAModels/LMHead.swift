import Foundation
import LNATensor

/// The packed LM head: float32 panels (the exact default, also under int8) or bf16 arithmetic (`--precision bf16`),
/// with the two uses the model makes of it — fused scoring and sliced logits.
enum LMHead: @unchecked Sendable {
    case float32(PackedLinear)
    case bf16(BF16ArithmeticLinear)

    /// The arithmetic a head is packed for.
    enum Arithmetic { case float32, bf16 }

    /// Per row log Σ e^logit, the target's logit and the argmax, without materialising the logits.
    func scoreRows(_ x: UnsafePointer<Float>, rows: Int, targets: [Int], transform: LogitTransform) throws -> [RowScore] {
        switch self {
        case let .float32(head): try head.scoreRows(x, rows: rows, targets: targets, transform: transform)
        case let .bf16(head): try head.scoreRows(x, rows: rows, targets: targets, transform: transform)
        }
    }

    /// The `rows × outputs` logits, computed slice by slice through the vocabulary.
    func applyBySlices(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        switch self {
        case let .float32(head): head.applyBySlices(x, rows: rows, into: y)
        case let .bf16(head): head.applyBySlices(x, rows: rows, into: y)
        }
    }
}

/// The LM head built on first use from a weight loader, then kept. The weight arrives in blocks of rows and is
/// packed block by block: the LM head never exists twice in float32 (Gemma 3: 671 MB per copy).
final class LazyLinear: @unchecked Sendable {
    let outputs: Int
    let inputs: Int
    let arithmetic: LMHead.Arithmetic
    private let makeRows: (Range<Int>) throws -> [Float]
    private var packed: LMHead?
    private let lock = NSLock()

    init(outputs: Int, inputs: Int, arithmetic: LMHead.Arithmetic = .float32,
         rows: @escaping (Range<Int>) throws -> [Float]) {
        self.outputs = outputs
        self.inputs = inputs
        self.arithmetic = arithmetic
        self.makeRows = rows
    }

    func get() throws -> LMHead {
        lock.lock()
        defer { lock.unlock() }
        if let packed { return packed }
        let head: LMHead = switch arithmetic {
        case .float32: .float32(try PackedLinear(outputs: outputs, inputs: inputs, rows: makeRows))
        case .bf16: .bf16(try BF16ArithmeticLinear(outputs: outputs, inputs: inputs, rows: makeRows))
        }
        packed = head
        return head
    }
}
