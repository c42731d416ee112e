/// Throughput and latency percentiles of one measured operation.
struct LatencyStats: Sendable {
    var operation: String
    var count: Int
    var seconds: Double
    /// Latencies in nanoseconds, sorted.
    var sorted: [UInt64]
    var errors: Int

    init(operation: String, latencies: [UInt64], seconds: Double, errors: Int = 0) {
        self.operation = operation
        self.count = latencies.count
        self.seconds = seconds
        self.sorted = latencies.sorted()
        self.errors = errors
    }

    var perSecond: Double { seconds > 0 ? Double(count) / seconds : 0 }

    /// The latency at quantile `q` (0...1) in milliseconds (nearest rank).
    func percentile(_ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1_000_000
    }

    var p50: Double { percentile(0.50) }
    var p99: Double { percentile(0.99) }
}

extension LatencyStats {
    /// The statistics of several measurements of the same operation taken together: the counts,
    /// errors and seconds add up and the percentiles are over all latencies.
    static func combined(_ parts: [LatencyStats], operation: String? = nil) -> LatencyStats {
        LatencyStats(
            operation: operation ?? parts.first?.operation ?? "",
            latencies: parts.flatMap(\.sorted),
            seconds: parts.reduce(0) { $0 + $1.seconds },
            errors: parts.reduce(0) { $0 + $1.errors })
    }
}
