import Foundation
import Glibc
import JSONSchema
import StewardCore
import Synchronization
import Testing

@testable import StewardSupervisor

/// One status the supervisor wrote.
struct WrittenStatus: Sendable {
    var namespace: String
    var name: String
    var status: JSON

    /// `lastUpdated` in unix milliseconds: when the supervisor decided to write it.
    var decidedAt: Int64? { status["lastUpdated"]?.stringValue.flatMap(parseRFC3339) }

    /// The row of `replica` (the first, when a replica has two instances).
    func row(_ replica: Int) -> JSON? {
        status["instances"]?.arrayValue?.first { $0["replica"]?.intValue == replica }
    }
}

/// The status sink of the tests: keeps every written status in order.
actor StatusRecorder {
    private(set) var written: [WrittenStatus] = []

    func record(_ namespace: String, _ name: String, _ status: JSON) {
        written.append(WrittenStatus(namespace: namespace, name: name, status: status))
    }

    /// The statuses written for service `name`, oldest first.
    func of(_ name: String) -> [WrittenStatus] { written.filter { $0.name == name } }
}

/// A supervisor whose `run()` runs in `task`.
struct RunningSupervisor: Sendable {
    let supervisor: NodeSupervisor
    let task: Task<Void, Never>

    /// Cancels `run()` (the instances keep running) and waits until it returned.
    func cancelRun() async {
        task.cancel()
        await task.value
    }
}

/// A set-once flag shared with a task.
final class DoneFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// Whether `work` finished within `timeout` (it keeps running when it did not).
func finishes(within timeout: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
    let done = DoneFlag()
    Task {
        await work()
        done.set()
    }
    let deadline = ContinuousClock.now + timeout
    while !done.isSet, ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(20))
    }
    return done.isSet
}

/// Temp directories for records and logs, a namespace of its own (so that every process a test
/// started can be found by its environment and killed), the status recorder, and the
/// supervisors the test ran.
final class SupervisorHarness: Sendable {
    let directory = RuntimeTestDirectory()
    let namespace = "nst-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    let recorder = StatusRecorder()
    private let runs = Mutex<[RunningSupervisor]>([])

    var recordsDirectory: String { directory.file("instances") }
    var logsDirectory: String { directory.file("logs") }

    /// A new supervisor on this harness's directories, with `runtime` and the real health
    /// probe; its `run()` is started.
    func startSupervisor(runtime: ProcessRuntime = ProcessRuntime()) -> RunningSupervisor {
        run(makeSupervisor(runtime: runtime))
    }

    /// Starts `supervisor.run()` (and stops it with the harness).
    func run(_ supervisor: NodeSupervisor) -> RunningSupervisor {
        let running = RunningSupervisor(supervisor: supervisor, task: Task { await supervisor.run() })
        runs.withLock { $0.append(running) }
        return running
    }

    /// A new supervisor on this harness's directories, with `runtime` and the real health
    /// probe; not running.
    func makeSupervisor(runtime: ProcessRuntime = ProcessRuntime()) -> NodeSupervisor {
        let recorder = self.recorder
        let supervisor = NodeSupervisor(
            configuration: .init(node: "test-node", recordsDirectory: recordsDirectory, logsDirectory: logsDirectory),
            runtime: runtime,
            healthChecker: { probe, port, environment, directory, timeout in
                let result = await HealthProbe.run(
                    probe, port: port, environment: environment, workingDirectory: directory, timeout: timeout)
                return (result.passed, result.message)
            },
            statusSink: { namespace, name, status in await recorder.record(namespace, name, status) })
        return supervisor
    }

    /// Service `name` of this harness's namespace with `spec`, decoded as the API returns it.
    func service(_ name: String, generation: Int = 1, _ spec: JSON) throws -> DesiredService {
        try DesiredService(
            service: [
                "metadata": [
                    "name": .string(name), "namespace": .string(namespace), "uid": .string("uid-\(name)"),
                    "generation": .int(generation),
                ],
                "spec": spec,
            ])
    }

    /// The status of `name` as the supervisor would write it now.
    func currentStatus(_ supervisor: NodeSupervisor, _ name: String) async -> WrittenStatus? {
        guard let supervision = await supervisor.supervision(namespace: namespace, name: name) else { return nil }
        return WrittenStatus(namespace: namespace, name: name, status: supervision.status(node: "test-node", now: nowMS()))
    }

    /// The instances of `name` that run (spawned, not stopping) and whose process lives.
    func liveInstances(_ supervisor: NodeSupervisor, _ name: String) async -> [SupervisedInstance] {
        let instances = await supervisor.supervision(namespace: namespace, name: name)?.instances ?? []
        return instances.filter { instance in
            guard let pid = instance.handle?.pid, instance.state != .stopping else { return false }
            return RuntimeTest.isRunning(pid)
        }
    }

    /// Waits until `name` has exactly `count` live instances (and nothing else: no instance
    /// stopping or being spawned); returns them.
    @discardableResult
    func waitForLive(_ supervisor: NodeSupervisor, _ name: String, count: Int) async throws -> [SupervisedInstance] {
        var live: [SupervisedInstance] = []
        var all: [SupervisedInstance] = []
        do {
            try await RuntimeTest.waitUntil("\(count) live instances of \(name)") {
                live = await liveInstances(supervisor, name)
                all = await supervisor.supervision(namespace: namespace, name: name)?.instances ?? []
                return live.count == count && all.count == count
            }
        } catch {
            let seen = all.map { "\($0.id) \($0.state.rawValue) pid \($0.handle.map { String($0.pid) } ?? "-")" }
            throw RuntimeTestTimeout(description: "\(error); instances: \(seen)")
        }
        return live
    }

    /// Live processes of this harness's namespace (of service `name`, when given), found by
    /// their environment: instances, their children, health probes.
    func processes(service name: String? = nil) -> [Int32] {
        var wanted = ["STEWARD_NAMESPACE=\(namespace)"]
        if let name { wanted.append("STEWARD_SERVICE=\(name)") }
        return livePIDs().filter { pid in
            guard let environ = readProcFile("/proc/\(pid)/environ") else { return false }
            let variables = Set(environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
            return wanted.allSatisfy(variables.contains) && RuntimeTest.isRunning(pid)
        }
    }

    /// Files under the records directory (instance records).
    var recordFiles: [String] {
        let enumerator = FileManager.default.enumerator(atPath: recordsDirectory)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: recordsDirectory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files
    }

    /// Stops the instances of every supervisor whose `run()` still runs, cancels them all,
    /// then kills whatever of this namespace is left.
    func shutdown() async {
        let all = runs.withLock { $0 }
        for run in all where !run.task.isCancelled {
            let supervisor = run.supervisor
            _ = await finishes(within: .seconds(20)) { await supervisor.stopAll() }
        }
        for run in all { await run.cancelRun() }
        killLeftovers()
    }

    /// SIGKILLs every process of this namespace, until none is found.
    func killLeftovers() {
        for _ in 0..<100 {
            let left = processes()
            if left.isEmpty { return }
            for pid in left {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
            usleep(20_000)
        }
    }
}

/// Runs `body` with a fresh harness, and shuts it down after (also when `body` throws).
func withHarness(_ body: (SupervisorHarness) async throws -> Void) async throws {
    let harness = SupervisorHarness()
    do {
        try await body(harness)
    } catch {
        await harness.shutdown()
        throw error
    }
    await harness.shutdown()
}

/// Unix milliseconds now.
func nowMS() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

/// `2026-12-03T16:00:00.250Z` in unix milliseconds.
func parseRFC3339(_ text: String) -> Int64? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
}

/// The start time (ms) an instance id embeds: `<service>-<replica>-<12 hex digits>`.
func startMS(ofInstanceID id: String) -> Int64? {
    id.split(separator: "-").last.flatMap { Int64($0, radix: 16) }
}

/// A whole file of /proc (their sizes read as 0, so read until EOF).
func readProcFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// The pids in /proc.
func livePIDs() -> [Int32] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
}

/// The children of `pid` (`/proc/<pid>/task/<pid>/children`).
func children(of pid: Int32) -> [Int32] {
    guard let bytes = readProcFile("/proc/\(pid)/task/\(pid)/children") else { return [] }
    return String(decoding: bytes, as: UTF8.self).split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// The environment of `pid` as a dictionary.
func environment(of pid: Int32) -> [String: String] {
    var result: [String: String] = [:]
    for entry in (readProcFile("/proc/\(pid)/environ") ?? []).split(separator: 0) {
        let text = String(decoding: entry, as: UTF8.self)
        guard let equals = text.firstIndex(of: "=") else { continue }
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
    }
    return result
}
