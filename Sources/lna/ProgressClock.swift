import Foundation

/// Progress of a long command in work units (tokens, or cells when tokens are not known in advance): done of
/// total, rate, and the time left at that rate. Units restored from a checkpoint count as done but not in the rate.
///
/// ```swift
/// var clock = ProgressClock(total: 120_000, unit: "tok")
/// clock.advance(by: 2_048)
/// clock.summary   // "2048/120000 tok (1.7 %), 1024 tok/s, ETA 1:55"
/// ```
struct ProgressClock {
    let total: Int
    let unit: String
    private(set) var done = 0
    private var doneThisRun = 0
    private let start = Date()

    init(total: Int, unit: String) {
        self.total = total
        self.unit = unit
    }

    /// Work done by this process.
    mutating func advance(by units: Int) {
        done += units
        doneThisRun += units
    }

    /// Work found done already (a resumed checkpoint): counts toward the total, not the rate.
    mutating func restore(_ units: Int) { done += units }

    var seconds: Double { Date().timeIntervalSince(start) }
    var rate: Double { seconds > 0 ? Double(doneThisRun) / seconds : 0 }

    /// Seconds left at the rate so far, nil before any work was timed.
    var eta: Double? { rate > 0 ? Double(max(total - done, 0)) / rate : nil }

    var summary: String {
        let percent = total > 0 ? 100 * Double(done) / Double(total) : 100
        return String(format: "%d/%d %@ (%.1f %%), %.0f %@/s, ETA %@", done, total, unit, percent, rate, unit,
                      eta.map(Self.clock) ?? "?")
    }

    /// Done, share and time left, without the rate: "2048/120000 tok (1.7 %), ETA 1:55".
    var summaryWithoutRate: String {
        let percent = total > 0 ? 100 * Double(done) / Double(total) : 100
        return String(format: "%d/%d %@ (%.1f %%), ETA %@", done, total, unit, percent, eta.map(Self.clock) ?? "?")
    }

    /// `75` → "1:15", `4000` → "1:06:40".
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
