import Foundation

/// Converts ggml-typed data to float32. Callers check `GGUFTensorType.isDequantizable` first; the block
/// layouts themselves live in `Dequantizer+Blocks.swift`.
///
/// ```swift
/// Dequantizer.dequantize(.q8_0, source: raw.baseAddress!, count: 64, into: out)   // 2 blocks
/// ```
public enum Dequantizer {
    /// Below this many elements a tensor is dequantised on the calling thread (thread start-up would dominate).
    static let parallelThreshold = 1 << 18

    /// Dequantises `count` elements (a multiple of `type.blockSize`) starting at `source` into `output`.
    /// Types that are not dequantisable leave the output as NaN (callers are expected to have checked).
    public static func dequantize(_ type: GGUFTensorType, source: UnsafeRawPointer, count: Int,
                                  into output: UnsafeMutablePointer<Float>) {
        let blocks = count / type.blockSize
        switch type {
        case .f32: UnsafeMutableRawPointer(output).copyMemory(from: source, byteCount: count * 4)   // may be unaligned
        case .f16: convertF16(source, count, output)
        case .bf16: convertBF16(source, count, output)
        case .f64:
            for i in 0..<count { output[i] = Float(source.loadUnaligned(fromByteOffset: i * 8, as: Double.self)) }
        case .q8_0: dequantizeQ8_0(source, blocks, output)
        case .q4_0: dequantizeQ4_0(source, blocks, output)
        case .q4_1: dequantizeQ4_1(source, blocks, output)
        case .q5_0: dequantizeQ5_0(source, blocks, output)
        case .q5_1: dequantizeQ5_1(source, blocks, output)
        case .q4_K: dequantizeQ4_K(source, blocks, output)
        case .q5_K: dequantizeQ5_K(source, blocks, output)
        case .q6_K: dequantizeQ6_K(source, blocks, output)
        case .q2_K: dequantizeQ2_K(source, blocks, output)
        case .q3_K: dequantizeQ3_K(source, blocks, output)
        default: output.update(repeating: .nan, count: count)
        }
    }

    /// Like `dequantize`, but splits large inputs into block-aligned chunks run on all cores.
    public static func dequantizeParallel(_ type: GGUFTensorType, source: UnsafeRawPointer, count: Int,
                                          into output: UnsafeMutablePointer<Float>) {
        let blocks = count / type.blockSize
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard count >= parallelThreshold, cores > 1, blocks > 1 else {
            dequantize(type, source: source, count: count, into: output)
            return
        }
        // A few chunks per core balances uneven progress without much scheduling overhead.
        let chunks = min(cores * 4, blocks)
        let blocksPerChunk = (blocks + chunks - 1) / chunks
        let sendableSource = UnsafeSendable(source)
        let sendableOutput = UnsafeSendable(output)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let firstBlock = chunk * blocksPerChunk
            let blockCount = min(blocksPerChunk, blocks - firstBlock)
            guard blockCount > 0 else { return }
            dequantize(type, source: sendableSource.value + firstBlock * type.typeSize,
                       count: blockCount * type.blockSize, into: sendableOutput.value + firstBlock * type.blockSize)
        }
    }
}

/// Carries a raw pointer into a concurrent closure; each task touches a disjoint range.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
