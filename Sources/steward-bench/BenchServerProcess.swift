import Foundation
import StewardClient
import StewardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server of this build in a child process (`steward-bench serve`), so that the load
/// generator and the server do not share an event loop.
final class BenchServerProcess: @unchecked Sendable {
    let process: Process
    let home: String
    let port: Int

    var url: String { "http://127.0.0.1:\(port)" }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private init(process: Process, home: String, port: Int) {
        self.process = process
        self.home = home
        self.port = port
    }

    /// Starts the child and waits until `/healthz` answers.
    static func start(home: String) async throws -> BenchServerProcess {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let port = Int.random(in: 20_000...40_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = ["serve", "--home", home, "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["STEWARD_CONFIG"] = home + "/client-config.json"
        process.environment = environment
        let log = home + "/server.log"
        try process.run(loggingTo: log)
        let server = BenchServerProcess(process: process, home: home, port: port)

        let probe = StewardClient(configuration: .init(serverURL: server.url, identity: Identity.generate()))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard process.isRunning else {
                throw Failure(description: "the server exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            if (try? await probe.health()) != nil, FileManager.default.fileExists(atPath: home + "/keys/owner.key") {
                return server
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        server.stop()
        throw Failure(description: "the server did not answer on \(server.url) within 30 s")
    }

    /// The owner key of the `default` namespace.
    func ownerKey() throws -> String {
        try String(contentsOfFile: home + "/keys/owner.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the child with SIGTERM (SIGKILL after 5 s).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
