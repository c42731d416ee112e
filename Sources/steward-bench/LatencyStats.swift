/// Throughput and latency percentiles of one measured operation.
struct LatencyStats: Sendable {
    var operation: String
    var count: Int
    var seconds: Double
    /// Latencies in nanoseconds, sorted.
    var sorted: [UInt64]
    var errors: Int
    /// CPU seconds the server and the load generator used during the measurement, when known.
    var serverCPU: Double?
    var clientCPU: Double?

    init(operation: String, latencies: [UInt64], seconds: Double, errors: Int = 0) {
        self.operation = operation
        self.count = latencies.count
        self.seconds = seconds
        self.sorted = latencies.sorted()
        self.errors = errors
    }

    var perSecond: Double { seconds > 0 ? Double(count) / seconds : 0 }

    /// Server CPU microseconds per completed operation.
    var serverMicroseconds: Double? { serverCPU.flatMap { count > 0 ? $0 * 1e6 / Double(count) : nil } }

    /// Load-generator CPU microseconds per completed operation.
    var clientMicroseconds: Double? { clientCPU.flatMap { count > 0 ? $0 * 1e6 / Double(count) : nil } }

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
    static func combined(_ parts: [LatencyStats]) -> LatencyStats {
        var stats = LatencyStats(
            operation: parts.first?.operation ?? "",
            latencies: parts.flatMap(\.sorted),
            seconds: parts.reduce(0) { $0 + $1.seconds },
            errors: parts.reduce(0) { $0 + $1.errors })
        func sum(_ value: KeyPath<LatencyStats, Double?>) -> Double? {
            parts.allSatisfy { $0[keyPath: value] != nil } ? parts.reduce(0) { $0 + ($1[keyPath: value] ?? 0) } : nil
        }
        stats.serverCPU = sum(\.serverCPU)
        stats.clientCPU = sum(\.clientCPU)
        return stats
    }

    /// Runs `measure` and records the CPU the server (`server`, when it is a local process) and
    /// this process used meanwhile.
    static func withCPU(server: ProcessCPU?, _ measure: () async throws -> LatencyStats) async rethrows -> LatencyStats {
        let client = ProcessCPU(pid: nil)
        let serverBefore = server?.seconds(), clientBefore = client.seconds()
        var stats = try await measure()
        if let serverBefore, let after = server?.seconds() { stats.serverCPU = after - serverBefore }
        if let clientBefore, let after = client.seconds() { stats.clientCPU = after - clientBefore }
        return stats
    }
}
