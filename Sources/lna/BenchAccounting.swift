#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LNAModels

/// Floating-point operations (2 per multiply-add) of one forward over a set of sequences, by part.
///
/// Attention is counted per sequence (a packed batch is block-diagonal), each query seeing half its sequence
/// on average (causal), without the sliding window (the benchmarks stay within Gemma's 512-token window).
///
/// ```swift
/// let f = FlopCount(config: model.config, sequenceLengths: [512])
/// f.body / 1e9   // GFLOP of the decoder without the LM head
/// ```
struct FlopCount: Encodable {
    /// The decoder without the LM head: projections, MLP and attention of every layer.
    let body: Double
    /// The LM head on every position.
    let head: Double
    /// The fused gate+up product of every layer (part of `body`).
    let mlpGateUp: Double
    /// The down product of every layer (part of `body`).
    let mlpDown: Double

    init(config c: ModelConfig, sequenceLengths: [Int]) {
        let d = Double(c.hiddenSize), f = Double(c.intermediateSize), layers = Double(c.layerCount)
        let n = Double(sequenceLengths.reduce(0, +))
        let halfSquares = sequenceLengths.reduce(0.0) { $0 + Double($1) * Double($1) / 2 }
        let projections = d * Double(c.queryWidth) * 2 + d * Double(c.kvWidth) * 2 + 3 * d * f
        // Scores (q·k) and mixing (p·v) over the visible keys.
        let attention = 2 * 2 * Double(c.queryWidth) * halfSquares
        body = layers * (2 * projections * n + attention)
        head = 2 * d * Double(c.vocabularySize) * n
        mlpGateUp = layers * 2 * n * d * 2 * f
        mlpDown = layers * 2 * n * f * d
    }
}

/// The parameter count of a model from its configuration, and what its weights take in float32.
///
/// ```swift
/// ModelSize(config: smollm2.config).parameters   // 134_515_008
/// ```
struct ModelSize: Encodable {
    let parameters: Int
    /// `parameters × 4`: the weights as float32, the yardstick of the memory target.
    let float32Bytes: Int

    init(config c: ModelConfig) {
        let d = c.hiddenSize, f = c.intermediateSize
        let layer = d * c.queryWidth * 2 + d * c.kvWidth * 2 + 3 * d * f + c.layerNormParameters
        let embedding = c.vocabularySize * d
        parameters = embedding * (c.tiedEmbeddings ? 1 : 2) + c.layerCount * layer + c.finalNormParameters
        float32Bytes = parameters * 4
    }
}

/// The process's peak resident set size so far (`getrusage` `ru_maxrss`, kilobytes on Linux), in bytes.
///
/// ```swift
/// let peak = peakResidentBytes()
/// ```
func peakResidentBytes() -> Int {
    #if os(Linux)
    let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
    let RUSAGE_SELF_WHO = RUSAGE_SELF
    #endif
    var usage = rusage()
    guard getrusage(RUSAGE_SELF_WHO, &usage) == 0 else { return 0 }
    #if os(Linux)
    return usage.ru_maxrss * 1024
    #else
    return usage.ru_maxrss
    #endif
}

/// The current resident set split by kind (`/proc/self/status` `RssAnon` / `RssFile`, Linux only; zeros
/// elsewhere): anonymous memory is lna's own buffers, file-backed memory the mapped model file's pages.
///
/// ```swift
/// let now = ResidentBreakdown.current()
/// ```
struct ResidentBreakdown: Encodable {
    let anonymousBytes: Int
    let fileBytes: Int

    static func current() -> ResidentBreakdown {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return ResidentBreakdown(anonymousBytes: 0, fileBytes: 0)
        }
        func kilobytes(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        return ResidentBreakdown(anonymousBytes: kilobytes("RssAnon"), fileBytes: kilobytes("RssFile"))
    }
}
