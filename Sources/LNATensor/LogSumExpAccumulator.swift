import Foundation

/// An online log-sum-exp and argmax over a row that arrives in pieces (slices of a vocabulary computed one at a
/// time), so the whole row never has to exist at once.
///
/// Keeps the running maximum m, its first index, and s = Σ e^(x − m) in Double; a piece with a larger maximum
/// rescales s by e^(m_old − m_new) (a Double exp, exact to double precision). The result equals the two-pass
/// `logSumExpAndArgmax` of the whole row to ~1e-7 whatever the cut into pieces.
/// Pieces must be added in increasing index order, and `merge` takes the accumulator of a later range, so the
/// argmax stays the first index of the maximum. NaN never wins the argmax but makes the log-sum-exp NaN (as does
/// +∞); no value above −∞ gives (−∞, index 0).
///
/// ```swift
/// var acc = LogSumExpAccumulator()
/// acc.add(slice0, count: 8192, firstIndex: 0)
/// acc.add(slice1, count: 8192, firstIndex: 8192)
/// let nll = acc.logSumExp - Double(targetLogit)
/// ```
public struct LogSumExpAccumulator: Sendable, Equatable {
    /// The largest value seen (−∞ before any).
    public private(set) var maximum: Float = -.infinity
    /// First index of `maximum` (0 while nothing above −∞ was seen).
    public private(set) var argmax: Int = 0
    /// Σ e^(x − maximum) over the values seen.
    private var scaledSum: Double = 0
    /// A NaN or +∞ was seen: the log-sum-exp is NaN.
    private var poisoned = false

    /// An empty accumulator.
    ///
    /// ```swift
    /// var acc = LogSumExpAccumulator()
    /// ```
    public init() {}

    /// log Σ e^x over everything added (−∞ if nothing above −∞, NaN after a NaN or +∞).
    ///
    /// ```swift
    /// let nll = acc.logSumExp - Double(logit)
    /// ```
    public var logSumExp: Double {
        if poisoned { return .nan }
        if maximum == -.infinity { return -.infinity }
        return Double(maximum) + Foundation.log(scaledSum)
    }

    /// Adds `count` values that are the row's indices `firstIndex ..< firstIndex + count`.
    ///
    /// ```swift
    /// acc.add(logits + 4096, count: 4096, firstIndex: 4096)
    /// ```
    public mutating func add(_ values: UnsafePointer<Float>, count: Int, firstIndex: Int) {
        guard count > 0, !poisoned else { return }
        let (top, best) = maximumAndArgmax(values, count: count)
        if top == .infinity { poisoned = true; return }
        if top == -.infinity {
            // Nothing finite here: only a NaN can matter.
            if UnsafeBufferPointer(start: values, count: count).contains(where: { $0.isNaN }) { poisoned = true }
            return
        }
        if top > maximum {
            scaledSum *= Foundation.exp(Double(maximum) - Double(top))
            maximum = top
            argmax = firstIndex + best
        }
        scaledSum += sumOfExponentials(values, count: count, shift: maximum)
        if scaledSum.isNaN { poisoned = true }
    }

    /// Folds in the accumulator of a range of indices that comes after everything in this one (ties keep
    /// this one's argmax).
    ///
    /// ```swift
    /// var whole = firstHalf; whole.merge(secondHalf)
    /// ```
    public mutating func merge(_ later: LogSumExpAccumulator) {
        poisoned = poisoned || later.poisoned
        if later.maximum == -.infinity { return }
        if later.maximum > maximum {
            scaledSum = scaledSum * Foundation.exp(Double(maximum) - Double(later.maximum)) + later.scaledSum
            maximum = later.maximum
            argmax = later.argmax
        } else {
            scaledSum += later.scaledSum * Foundation.exp(Double(later.maximum) - Double(maximum))
        }
    }
}
