import Foundation
import StewardCore

@testable import StewardSupervisor

#if canImport(Glibc)
import Glibc
#endif

/// A fresh log root under the temporary directory, removed by ``remove()``.
struct LogRoot {
    let path: String
    let files: InstanceLogFiles

    init(maxFileSize: Int64 = 10 << 20, maxFiles: Int = 3, keep: Int = 5) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("steward-logs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        files = InstanceLogFiles(root: path, maxFileSize: maxFileSize, maxFiles: maxFiles, keepInstancesPerReplica: keep)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The id of an instance of `web` replica `replica` started `secondsAgo` before now.
    static func id(_ replica: Int, secondsAgo: Double, service: String = "web") -> String {
        InstanceLogFiles.instanceID(service: service, replica: replica, startedAt: Date().addingTimeInterval(-secondsAgo))
    }

    /// Creates the instance's log file with `text` and returns its path.
    @discardableResult
    func write(_ text: String, replica: Int, id: String, service: String = "web", suffix: String = "") throws -> String {
        try files.createDirectory(namespace: "default", service: service, replica: replica)
        let path = files.path(namespace: "default", service: service, replica: replica, instanceID: id) + suffix
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Reads a whole (not followed) query as text.
    func read(_ query: LogQuery, service: String = "web") async throws -> String {
        var bytes: [UInt8] = []
        for try await chunk in try files.read(namespace: "default", service: service, query: query) { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The error a query throws; nil when it throws none.
    func error(_ query: LogQuery) -> StewardError? {
        do {
            _ = try files.read(namespace: "default", service: "web", query: query)
            return nil
        } catch {
            return error
        }
    }
}

/// Writes to a log as an instance does: one `O_APPEND` descriptor kept open, so that its writes
/// land at the end of the file even after a copy-truncate.
final class AppendingWriter {
    private let fd: Int32

    init(_ path: String) {
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        precondition(fd >= 0, "cannot open \(path)")
    }

    deinit { close(fd) }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
        precondition(n == bytes.count)
    }
}

/// Collects a followed stream's bytes while it runs; ``stop()`` cancels it.
final class FollowedStream: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var task: Task<Void, Never>?
    private var ended = false

    init(_ stream: AsyncThrowingStream<[UInt8], Error>) {
        task = Task {
            do {
                for try await chunk in stream { self.lock.withLock { self.bytes += chunk } }
            } catch {}
            self.lock.withLock { self.ended = true }
        }
    }

    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
    var hasEnded: Bool { lock.withLock { ended } }

    /// Waits (up to 30 s) until the text so far satisfies `condition`; returns whether it did.
    func wait(until condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if condition(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(text)
    }

    func stop() async {
        task?.cancel()
        await task?.value
    }
}
