import Foundation
import Glibc
import Testing

@testable import StewardSupervisor

/// A fresh directory under /tmp for one test, removed with it (a suite holds one per test).
final class RuntimeTestDirectory: Sendable {
    let path: String

    init() {
        path = "/tmp/steward-runtime-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        precondition(mkdir(path, 0o755) == 0, "cannot make \(path)")
    }

    func file(_ name: String) -> String { path + "/" + name }

    func read(_ name: String) -> String { (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? "" }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

struct RuntimeTestTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Helpers of the runtime and health probe tests.
enum RuntimeTest {
    /// A unique instance ID for a test.
    static func instanceID(_ name: String) -> String { "\(name)-0-\(UInt32.random(in: 0...UInt32.max))" }

    /// The environment tests start instances with.
    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C"]

    /// The next termination of `instanceID` on `runtime`'s stream (others are consumed and
    /// dropped), within 30 s.
    static func termination(
        of instanceID: String, on runtime: ProcessRuntime, timeout: Duration = .seconds(30)
    ) async throws -> InstanceTermination {
        try await RuntimeTest.terminations(of: [instanceID], on: runtime, timeout: timeout)[instanceID]!
    }

    /// The next terminations of all of `instanceIDs` on `runtime`'s stream, within 30 s.
    static func terminations(
        of instanceIDs: Set<String>, on runtime: ProcessRuntime, timeout: Duration = .seconds(30)
    ) async throws -> [String: InstanceTermination] {
        try await withThrowingTaskGroup(of: [String: InstanceTermination]?.self) { group in
            group.addTask {
                var found: [String: InstanceTermination] = [:]
                for await termination in runtime.terminations where instanceIDs.contains(termination.handle.instanceID) {
                    found[termination.handle.instanceID] = termination
                    if found.count == instanceIDs.count { return found }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else {
                throw RuntimeTestTimeout(description: "no terminations of \(instanceIDs.sorted()) in \(timeout)")
            }
            return first
        }
    }

    /// Waits (polling every 10 ms, up to 30 s) until `condition` holds.
    static func waitUntil(
        _ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw RuntimeTestTimeout(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// The python3 of the system (the pyenv shim is a shell script).
    static let python3 = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    /// A port nothing listens on now (bound to 0, read back, closed).
    static func freePort() -> Int {
        guard let (fd, port) = try? RuntimeTest.listeningSocket() else { return 1 }
        close(fd)
        return port
    }

    /// A socket listening on 127.0.0.1 at a free port.
    static func listeningSocket() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw RuntimeTestTimeout(description: "cannot listen on 127.0.0.1")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
