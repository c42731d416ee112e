import ArgumentParser
import Foundation
import JSONSchema
import StewardClient
import StewardCore

/// `steward-bench reconcile`: end-to-end reconciliation latency and throughput.
struct ReconcileBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Measure write → status latency and processes per second with a no-op reconciler.",
        discussion: """
            Starts a server of this build in a child process (or targets --server) and runs no-op (echo) reconcilers through the SDK's ReconcilerRunner in this process:
              - latency: one executor; --writes sequential service writes (create, then updates), each timed from the write until a watcher sees the service's status with observedGeneration at the new generation and Ready=True; p50 and p99;
              - throughput: with 1, 4 and 16 executors, --services services created at once (16 clients), timed until every create process is closed; processes per second.

            EXAMPLE:
              swift build -c release --product steward-bench
              .build/release/steward-bench reconcile
              .build/release/steward-bench reconcile --writes 500 --services 2000
            """
    )

    @OptionGroup var target: BenchTarget

    @Option(help: "Sequential writes timed for the latency.")
    var writes = 300

    @Option(help: "Services created per throughput round.")
    var services = 1000

    @Option(help: "Executor counts of the throughput rounds, comma-separated.")
    var executors = "1,4,16"

    @Option(help: "Where the started server keeps its files.")
    var dataDir = "./bench-data"

    func validate() throws {
        if writes < 1 || services < 1 { throw ValidationError("--writes and --services must be positive") }
        if executorCounts.isEmpty { throw ValidationError("--executors must list positive numbers, such as 1,4,16") }
    }

    var executorCounts: [Int] { executors.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 } }

    func run() async throws {
        let runDirectory = URL(fileURLWithPath: dataDir).appendingPathComponent("reconcile-\(Int(Date().timeIntervalSince1970))")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        let resolved = try await target.resolve(runDirectory: runDirectory)
        let child = resolved.child
        let serverURL = resolved.url
        let key = resolved.ownerKey
        defer {
            child?.stop()
            try? FileManager.default.removeItem(at: runDirectory)
        }
        let client = StewardClient(
            configuration: .init(serverURL: serverURL, identity: try Identity(privateKeyHex: key)), maxConnections: 64)
        let stamp = Int(Date().timeIntervalSince1970) % 100_000
        let kind = "ReconcileBench\(stamp)"
        let executorType = "bench-echo-\(stamp)"
        try await client.createDefinition(Self.definition(kind: kind, executorType: executorType))

        FileHandleOutput.error("server \(serverURL)\n")
        FileHandleOutput.error("latency: \(writes) sequential writes with 1 executor ...\n")
        let latency = try await measureLatency(client: client, kind: kind, executorType: executorType)

        var rounds: [(executors: Int, stats: LatencyStats)] = []
        for count in executorCounts {
            FileHandleOutput.error("throughput: \(services) services with \(count) executor(s) ...\n")
            rounds.append((count, try await measureThroughput(client: client, kind: kind, executorType: executorType, executors: count)))
        }
        try await client.shutdown()

        var text = "end-to-end latency, write → status seen by a watcher (no-op reconciler, 1 executor):\n"
        text += String(format: "  %d writes  p50 %.2f ms  p99 %.2f ms  errors %d\n", latency.count, latency.p50, latency.p99, latency.errors)
        text += "throughput (create processes closed per second):\n"
        for round in rounds {
            text += String(
                format: "  %2d executor(s)  %6.0f processes/s  (%d in %.2f s, errors %d)\n", round.executors,
                round.stats.perSecond, round.stats.count, round.stats.seconds, round.stats.errors)
        }
        print(text, terminator: "")
    }

    /// Starts `count` echo executors; returns them with a counter of closed processes.
    private func startExecutors(_ count: Int, client: StewardClient, executorType: String, prefix: String) -> (Task<Void, Never>, ClosedCounter) {
        let counter = ClosedCounter()
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    let runner = ReconcilerRunner(
                        client: client,
                        configuration: .init(
                            executorName: "\(prefix)-\(index)", executorType: executorType, node: "bench",
                            pollTimeout: .seconds(10)),
                        reconciler: EchoReconciler(),
                        onEvent: { event in
                            switch event {
                            case .closed(_, let error): counter.add(failed: error != nil)
                            case .connectionProblem(let error), .leaseLost(_, let error): counter.problem(error)
                            default: break
                            }
                        })
                    group.addTask { try? await runner.run() }
                }
            }
        }
        return (task, counter)
    }

    private func measureLatency(client: StewardClient, kind: String, executorType: String) async throws -> LatencyStats {
        let (executorsTask, _) = startExecutors(1, client: client, executorType: executorType, prefix: "latency")
        defer { executorsTask.cancel() }
        let waiter = StatusWaiter()
        let revision = try await client.services(kind: kind).revision
        let watchTask = Task {
            guard let stream = try? await client.watch(from: revision, kind: kind) else { return }
            do {
                for try await event in stream where event.objectType == .service {
                    let status = event.object["status"] ?? .null
                    if let observed = status["observedGeneration"]?.intValue, ServiceConditions.isTrue("Ready", in: status) {
                        await waiter.observed(name: event.name, generation: observed)
                    }
                }
            } catch {}
        }
        defer { watchTask.cancel() }
        let name = "latency-\(Int.random(in: 10_000...99_999))"
        // Warm up: the create, reconciled once.
        let created = try await client.createService(Self.service(kind: kind, name: name, replicas: 0))
        try await waiter.wait(name: name, generation: created.metadata.generation, timeout: .seconds(30))
        var latencies: [UInt64] = []
        var errors = 0
        let clock = ContinuousClock()
        let started = clock.now
        for index in 1...writes {
            let begin = clock.now
            do {
                let updated = try await client.setField(
                    name: name, path: try JSONPath(parsing: "spec.replicas"), value: .int(index))
                try await waiter.wait(name: name, generation: updated.metadata.generation, timeout: .seconds(30))
                let elapsed = clock.now - begin
                latencies.append(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
            } catch {
                errors += 1
            }
        }
        let total = clock.now - started
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        _ = try? await client.removeService(name: name, force: true)
        return LatencyStats(operation: "write → status", latencies: latencies, seconds: seconds, errors: errors)
    }

    private func measureThroughput(client: StewardClient, kind: String, executorType: String, executors count: Int) async throws -> LatencyStats {
        let prefix = "tp\(count)-\(Int.random(in: 10_000...99_999))"
        let (executorsTask, counter) = startExecutors(count, client: client, executorType: executorType, prefix: prefix)
        defer { executorsTask.cancel() }
        try await Task.sleep(for: .milliseconds(300))  // let them register
        let total = services
        let clock = ContinuousClock()
        let started = clock.now
        let before = counter.value
        let create = await LoadRunner.run("create", concurrency: 16, total: total) { index in
            try await client.createService(Self.service(kind: kind, name: "\(prefix)-\(index)", replicas: 1))
        }
        let target = before.closed + create.count
        let deadline = clock.now + .seconds(300)
        while counter.value.closed < target && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let done = counter.value.closed - before.closed
        // Clean up without reconcilers so that the next round starts from an empty queue.
        _ = await LoadRunner.run("remove", concurrency: 16, total: total) { index in
            _ = try await client.removeService(name: "\(prefix)-\(index)", force: true)
        }
        return LatencyStats(
            operation: "\(count) executors", latencies: Array(repeating: 0, count: done), seconds: seconds,
            errors: create.errors + (counter.value.failed - before.failed))
    }

    static func definition(kind: String, executorType: String) -> JSON {
        .object([
            "metadata": .object(["name": .string(kind.lowercased() + "s.bench.steward.dev")]),
            "spec": .object([
                "names": .object(["kind": .string(kind)]),
                "schema": .object(["type": "object", "properties": .object(["replicas": .object(["type": "integer"])])]),
                "handler": .object(["executorType": .string(executorType)]),
            ]),
        ])
    }

    static func service(kind: String, name: String, replicas: Int) -> JSON {
        .object(["kind": .string(kind), "metadata": .object(["name": .string(name)]), "spec": .object(["replicas": .int(replicas)])])
    }
}

/// Counts the processes the bench's executors closed.
final class ClosedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = 0
    private var failed = 0

    func add(failed isFailure: Bool) {
        lock.withLock {
            closed += 1
            if isFailure { failed += 1 }
        }
    }

    var value: (closed: Int, failed: Int) { lock.withLock { (closed, failed) } }

    /// Reports the first problem of the executors (they retry by themselves).
    func problem(_ error: StewardError) {
        let first: Bool = lock.withLock {
            problems += 1
            return problems == 1
        }
        if first { FileHandleOutput.error("executor problem (retried): \(error.message)\n") }
    }

    private var problems = 0
}

/// Resumes the writer once the watcher has seen a service's status reach a generation.
actor StatusWaiter {
    private var seen: [String: Int] = [:]
    private var waiters: [UInt64: (name: String, generation: Int, continuation: CheckedContinuation<Bool, Never>)] = [:]
    private var nextID: UInt64 = 0

    func observed(name: String, generation: Int) {
        seen[name] = max(seen[name] ?? 0, generation)
        for (id, waiter) in waiters where waiter.name == name && waiter.generation <= generation {
            waiters[id] = nil
            waiter.continuation.resume(returning: true)
        }
    }

    func wait(name: String, generation: Int, timeout: Duration) async throws {
        if (seen[name] ?? 0) >= generation { return }
        nextID += 1
        let id = nextID
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        let reached = await withCheckedContinuation { continuation in
            waiters[id] = (name, generation, continuation)
        }
        timer.cancel()
        guard reached else {
            throw StewardError(.unavailable, "the status of \(name) did not reach generation \(generation) in time")
        }
    }

    private func expire(_ id: UInt64) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: false)
    }
}
