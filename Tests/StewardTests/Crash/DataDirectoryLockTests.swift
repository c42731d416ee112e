import Foundation
import StewardClient
import StewardCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("One server per data directory", .serialized)
struct DataDirectoryLockTests {
    /// Runs `steward server` on `home` until it exits (at most 30 s); its status and output.
    static func runUntilExit(home: String, configPath: String) throws -> (status: Int32, output: String) {
        let logPath = home + "-second-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let process = try ServerProcess.makeProcess(
            home: home, configPath: configPath, port: try ServerProcess.freePort(), logPath: logPath)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (-1, "still running after 30 s: " + ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""))
        }
        return (process.terminationStatus, (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    @Test(.timeLimit(.minutes(2)))
    func aSecondServerOnTheSameHomeIsRefusedUntilTheFirstDies() async throws {
        let directory = try TemporaryDirectory("steward-lock")
        defer { directory.remove() }
        let home = directory.path + "/home"
        let config = directory.path + "/config.json"

        let first = try await Blocking.run { try ServerProcess(home: home, configPath: config) }
        let second = try await Blocking.run { try Self.runUntilExit(home: home, configPath: config) }
        #expect(second.status == 1, "\(second.output)")
        #expect(
            second.output.contains(
                "Error: the data directory \(home) is in use by another steward server (pid \(first.pid)); stop that server, or start this one with another --home"
            ), "\(second.output)")

        // The first still serves.
        let owner = try Identity(privateKeyHex: try String(contentsOfFile: home + "/keys/owner.key", encoding: .utf8))
        let client = StewardClient(configuration: .init(serverURL: first.url, identity: owner), maxConnections: 1)
        #expect(try await client.whoami().id == owner.id)
        try await client.shutdown()

        // kill -9 leaves no stale lock: the next server starts and names itself in the lock file.
        try await Blocking.run { first.killHard() }
        let third = try await Blocking.run { try ServerProcess(home: home, configPath: config) }
        let recorded = try String(contentsOfFile: home + "/steward.lock", encoding: .utf8)
        #expect(recorded == "\(third.pid)\n")
        #expect(try await Blocking.run { third.terminate() } == 0)
    }
}
