import Foundation

/// Drives an operation from many concurrent workers and records each call's latency.
enum LoadRunner {
    /// Runs `operation` from `concurrency` workers until `duration` has passed (or, with
    /// `total`, until that many calls were made in all), and returns the statistics.
    /// `operation` gets a worker-unique sequence number.
    static func run(
        _ name: String, concurrency: Int, duration: Duration? = nil, total: Int? = nil,
        operation: @escaping @Sendable (Int) async throws -> Void
    ) async -> LatencyStats {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = duration.map { start + $0 }
        let counter = Counter()
        let results = await withTaskGroup(of: ([UInt64], Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies: [UInt64] = []
                    latencies.reserveCapacity(4096)
                    var errors = 0
                    while true {
                        if let deadline, clock.now >= deadline { break }
                        let sequence = counter.next()
                        if let total, sequence >= total { break }
                        let begin = clock.now
                        do {
                            try await operation(sequence)
                            let elapsed = clock.now - begin
                            latencies.append(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
                        } catch {
                            errors += 1
                            if errors == 1 { FileHandleOutput.error("\(name): \(error)\n") }
                        }
                    }
                    return (latencies, errors)
                }
            }
            var all: [UInt64] = []
            var errors = 0
            for await (latencies, failed) in group {
                all += latencies
                errors += failed
            }
            return (all, errors)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return LatencyStats(operation: name, latencies: results.0, seconds: seconds, errors: results.1)
    }
}

/// A shared, thread-safe sequence number.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int

    init(start: Int = 0) {
        value = start
    }

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}

/// Writes progress and errors to standard error.
enum FileHandleOutput {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
