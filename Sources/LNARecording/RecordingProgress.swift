import Foundation

/// Where a recording stands, for progress bars.
///
/// ```swift
/// recorder.record(...) { p in print(p.line) }
/// ```
public struct RecordingProgress: Sendable {
    public var language: String
    /// Sequences (texts) done and to do in this shard, including those restored from a checkpoint.
    public var sequencesDone: Int
    public var sequencesTotal: Int
    public var tokensDone: Int
    public var tokensTotal: Int
    /// Seconds spent in this process (not counting work restored from a checkpoint).
    public var elapsed: Double
    /// Tokens processed by this process.
    public var tokensThisRun: Int

    public var tokensPerSecond: Double { elapsed > 0 ? Double(tokensThisRun) / elapsed : 0 }
    /// Seconds left at the current speed.
    public var eta: Double? {
        tokensPerSecond > 0 ? Double(tokensTotal - tokensDone) / tokensPerSecond : nil
    }

    /// `en [#########-----------]  350/701 texts  12,345 tok  2,400 tok/s  ETA 0:05`
    public var line: String {
        let fraction = tokensTotal > 0 ? Double(tokensDone) / Double(tokensTotal) : 1
        let filled = Int((fraction * 24).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 24 - filled)
        let etaText = eta.map(Self.clock) ?? "?"
        return "\(language) [\(bar)] \(sequencesDone)/\(sequencesTotal) texts  \(tokensDone) tok  "
            + String(format: "%.0f tok/s  ETA %@", tokensPerSecond, etaText)
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
