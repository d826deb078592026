import Foundation
import LNATensor

/// Absolute position embeddings, added to the (scaled) token embedding before the first block: GPT-2's learned
/// table (`wpe`, one row per position) and XGLM's fairseq sinusoidal table (row p + offset for position p).
///
/// ```swift
/// let table = try AbsolutePositions.table(config, loader: loader)   // [rows, d], empty for RoPE/ALiBi
/// ```
enum AbsolutePositions {
    /// The table of a model, `[rows, d]` row-major; empty when positions are not absolute.
    static func table(_ c: ModelConfig, loader: WeightLoader) throws -> [Float] {
        switch c.block.positions {
        case .rope, .alibi: return []
        case .learned: return try loader.load(.positionEmbedding)
        case let .sinusoidal(offset, zeroRow):
            return sinusoidal(rows: c.contextLength + offset, width: c.hiddenSize, zeroRow: zeroRow)
        }
    }

    /// The table row of `position` (the offset of sinusoidal tables added).
    static func row(of position: Int, _ positions: BlockRecipe.Positions) -> Int {
        if case let .sinusoidal(offset, _) = positions { return position + offset }
        return position
    }

    /// fairseq's (tensor2tensor's) sinusoidal table as transformers' XGLM builds it, in float32: frequency
    /// i = exp(−i · ln 10000 / (d/2 − 1)), row p = [sin(p·f₀), …, sin(p·f_{d/2−1}), cos(p·f₀), …] (+ a zero
    /// column for odd d), row `zeroRow` all zero.
    static func sinusoidal(rows: Int, width: Int, zeroRow: Int?) -> [Float] {
        let half = width / 2
        let step = Float(log(10000.0) / Double(max(half - 1, 1)))
        let frequencies = (0..<half).map { Foundation.exp(Float($0) * -step) }
        var table = [Float](repeating: 0, count: rows * width)
        for p in 0..<rows where p != zeroRow {
            for i in 0..<half {
                let angle = Float(p) * frequencies[i]
                table[p * width + i] = Foundation.sin(angle)
                table[p * width + half + i] = Foundation.cos(angle)
            }
        }
        return table
    }
}

extension Model {
    /// Adds the absolute position embedding of every row's position (no-op for RoPE and ALiBi models).
    func addAbsolutePositions(_ x: inout [Float], positions: [Int]) {
        guard !positionTable.isEmpty else { return }
        let d = config.hiddenSize
        x.withUnsafeMutableBufferPointer { xs in
            positionTable.withUnsafeBufferPointer { table in
                for (r, position) in positions.enumerated() {
                    let row = AbsolutePositions.row(of: position, config.block.positions)
                    addInPlace(xs.baseAddress! + r * d, UnsafePointer(table.baseAddress! + row * d), count: d)
                }
            }
        }
    }
}
