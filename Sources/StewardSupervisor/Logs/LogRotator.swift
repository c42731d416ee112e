import Foundation
import Logging
import ServiceLifecycle
import StewardCore

/// Checks the registered log files every ``interval`` (2 s): records in each file's time index
/// how far it has grown (``InstanceLogFiles/check(path:indexedSize:now:)``), and rotates those
/// that reached the size limit.
///
/// The supervisor registers an instance's log file when it starts or adopts the instance, and
/// unregisters it when the instance has ended (that runs one last check, so that the index
/// reaches the file's end). Run it as a swift-service-lifecycle `Service` (it stops on graceful
/// shutdown or cancellation), or call ``checkAll()`` from a loop of one's own.
public final class LogRotator: ServiceLifecycle.Service, @unchecked Sendable {
    /// The layout and the limits.
    public let files: InstanceLogFiles
    /// The time between two checks: also how precisely a line's time is known.
    public let interval: Duration
    private let logger: Logger
    private let lock = NSLock()
    /// The registered paths and the size each one's index reaches (nil: not read yet).
    private var indexed: [String: Int64?] = [:]

    public init(files: InstanceLogFiles, interval: Duration = .seconds(2), logger: Logger = Logger(label: "steward.logs")) {
        self.files = files
        self.interval = interval
        self.logger = logger
    }

    /// Starts checking the log file at `path` (it need not exist yet).
    public func register(path: String) {
        lock.withLock {
            if indexed[path] == nil { indexed[path] = .some(nil) }
        }
    }

    /// Checks `path` once more, then stops checking it.
    public func unregister(path: String) async {
        guard let size = lock.withLock({ indexed.removeValue(forKey: path) }) else { return }
        await check([(path, size)])
    }

    /// The registered paths, sorted.
    public var paths: [String] {
        lock.withLock { indexed.keys.sorted() }
    }

    /// Checks every registered file once (off the cooperative pool). A failure is logged and
    /// does not stop the other checks.
    public func checkAll() async {
        await check(lock.withLock { indexed.map { ($0.key, $0.value) } })
    }

    private func check(_ entries: [(String, Int64?)]) async {
        let files = self.files
        let logger = self.logger
        let results: [(String, Int64?)] = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let now = Date()
                let results = entries.map { path, size -> (String, Int64?) in
                    do throws(StewardError) {
                        return (path, try files.check(path: path, indexedSize: size, now: now))
                    } catch {
                        logger.warning("log check of \(path) failed: \(error.message)")
                        return (path, nil)
                    }
                }
                continuation.resume(returning: results)
            }
        }
        lock.withLock {
            for (path, size) in results where indexed[path] != nil { indexed[path] = .some(size) }
        }
    }

    /// Checks every ``interval`` until graceful shutdown or cancellation, then once more.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.checkAll()
                try? await Task.sleep(for: self.interval)
            }
        }
        await checkAll()
    }
}
