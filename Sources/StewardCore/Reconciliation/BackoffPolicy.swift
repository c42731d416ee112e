/// How long a service waits before its next reconciliation after consecutive failures:
/// `initial` after the first, doubling (by `multiplier`) up to `maximum`.
///
/// Pure: the caller keeps the failure count and the clock.
public struct BackoffPolicy: Sendable, Equatable {
    /// The delay after the first failure.
    public var initial: Duration
    /// The factor applied per further failure.
    public var multiplier: Double
    /// The longest delay.
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(100), multiplier: Double = 2, maximum: Duration = .seconds(300)) {
        self.initial = initial
        self.multiplier = max(1, multiplier)
        self.maximum = maximum
    }

    /// The delay before the next attempt after `failures` consecutive failures (0 → none).
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        let initialMS = Double(initial.milliseconds)
        let maximumMS = Double(maximum.milliseconds)
        var delay = initialMS
        var n = 1
        while n < failures && delay < maximumMS {
            delay *= multiplier
            n += 1
        }
        return .milliseconds(Int64(min(delay, maximumMS)))
    }
}

extension Duration {
    /// The duration in whole milliseconds (rounded down, saturating).
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? (seconds < 0 ? .min : .max) : product + attoseconds / 1_000_000_000_000_000
    }
}
