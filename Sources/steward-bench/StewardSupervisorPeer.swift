import Foundation
import JSONSchema
import StewardClient
import StewardCore

#if canImport(Glibc)
import Glibc
#endif

/// Steward as a supervision peer: the `steward` executable built beside the benchmark
/// (`STEWARD_BIN` names another) running `steward server --log-level warning` with a temporary
/// STEWARD_HOME; a submit is one `createService` of kind `ProcessDeployment` with N replicas,
/// which the server's supervisor starts and restarts.
final class StewardSupervisorPeer: SupervisorPeer, @unchecked Sendable {
    let name = "steward"
    let directory: String
    let executable: String
    let port = Int.random(in: 20_000...40_000)
    private var process: ChildProcess?
    private var client: StewardClient?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var logPath: String { directory + "/server.log" }
    private var home: String { directory + "/home" }
    private var url: String { "http://127.0.0.1:\(port)" }

    static func findExecutable() -> String {
        if let path = ProcessInfo.processInfo.environment["STEWARD_BIN"] { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("steward").path
    }

    init(directory: String) throws {
        let executable = Self.findExecutable()
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(
                description: "no steward executable at \(executable): build it beside the benchmark (swift build -c release --product steward, with the same --build-path) or set STEWARD_BIN")
        }
        self.directory = directory
        self.executable = executable
    }

    func start() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["STEWARD_HOME"] = home
        // The server registers its context in the client configuration: keep it in the run's
        // directory instead of the user's.
        environment["STEWARD_CONFIG"] = directory + "/client-config.json"
        let process = try ChildProcess.spawn(
            executable, ["server", "--port", String(port), "--log-level", "warning", "--stop-instances"], environment: environment, log: logPath)
        self.process = process
        let probe = StewardClient(configuration: .init(serverURL: url, identity: Identity.generate()))
        let keyPath = home + "/keys/owner.key"
        let deadline = Date().addingTimeInterval(30)
        while true {
            guard process.isRunning else {
                throw Failure(description: "steward server exited: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            if (try? await probe.health()) != nil, FileManager.default.fileExists(atPath: keyPath) { break }
            guard Date() < deadline else { throw Failure(description: "steward server did not answer on \(url) within 30 s (its log: \(logPath))") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let key = try String(contentsOfFile: keyPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let client = StewardClient(configuration: .init(serverURL: url, identity: try Identity(privateKeyHex: key)))
        // A first signed request, so that the timed one finds a connection and the key known.
        _ = try? await client.services(kind: "ProcessDeployment")
        self.client = client
    }

    func submit(instances: Int, beacon: BeaconProgram, socket: String) async throws -> UInt64 {
        guard let client else { throw Failure(description: "steward server not started") }
        let document: JSON = .object([
            "kind": "ProcessDeployment",
            "metadata": .object(["name": "bench"]),
            "spec": .object([
                "command": .array([.string(beacon.path), .string(socket)]),
                "replicas": .int(instances),
                "backoff": .object(["resetAfter": "1s"]),
            ]),
        ])
        let started = BeaconListener.now()
        _ = try await client.createService(document)
        return started
    }

    func supervisingPids() -> [Int32] {
        guard let process, process.isRunning else { return [] }
        return [process.pid]
    }

    func stop() async {
        if let client {
            _ = try? await client.removeService(name: "bench")
            try? await client.shutdown()
        }
        client = nil
        if let process {
            await process.terminate(waiting: 15)
            if let termination = process.termination, termination != "exited with status 0" {
                FileHandleOutput.error("steward: the server \(termination) when told to stop (its log: \(logPath))\n")
            }
        }
        process = nil
    }
}
