import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `steward server` on a free port with its own temporary home, client configuration
/// and working directory (holding a copy of the fixtures and of `examples/quickstart`),
/// stopped by ``stop()``.
final class TestServer: @unchecked Sendable {
    /// The temporary directory: `home/` (STEWARD_HOME), `config.json` (STEWARD_CONFIG) and the fixtures.
    let directory: URL
    let port: Int
    private let process: Process
    private let logURL: URL

    var url: String { "http://127.0.0.1:\(port)" }
    var home: URL { directory.appendingPathComponent("home") }
    /// The client configuration (STEWARD_CONFIG) of the server and of CLI runs.
    let configPath: String

    /// The owner key the server wrote on first start.
    var ownerKey: String {
        get throws {
            try String(contentsOf: home.appendingPathComponent("keys/owner.key"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The environment for CLI runs: only the client configuration, no inherited STEWARD_* variables.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STEWARD_") }
        environment["STEWARD_CONFIG"] = configPath
        environment["HOME"] = directory.path
        environment["NO_COLOR"] = "1"
        environment["XDG_CONFIG_HOME"] = nil
        environment["COLUMNS"] = nil
        return environment
    }

    /// Starts a server (with extra `steward server` flags) and waits until it answers.
    /// - Parameter clientConfig: the client configuration to use; nil: `config.json` in the
    ///   server's own directory. Servers given the same one share it, as on one machine.
    init(flags: [String] = [], clientConfig: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-cli-\(UUID().uuidString)")
        configPath = clientConfig ?? directory.appendingPathComponent("config.json").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for folder in [Self.fixtures, Self.quickStartExamples] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
            where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
                try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: directory.appendingPathComponent(name))
            }
        }
        port = try Self.freePort()
        logURL = directory.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)

        process = Process()
        process.executableURL = URL(fileURLWithPath: try StewardBinary.path())
        process.arguments = ["server"] + flags
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STEWARD_") }
        environment["STEWARD_HOME"] = directory.appendingPathComponent("home").path
        environment["STEWARD_HOST"] = "127.0.0.1"
        environment["STEWARD_PORT"] = String(port)
        environment["STEWARD_CONFIG"] = configPath
        environment["HOME"] = directory.path
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try waitUntilReady()
    }

    /// The test fixtures (`Tests/StewardCLITests/Fixtures`).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The package root, where the README's commands run.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The Quick Start's files (`examples/quickstart`), which the README and docs/cli.md name.
    static let quickStartExamples = packageRoot.appendingPathComponent("examples/quickstart")

    /// What the server printed so far.
    var output: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    /// Runs the CLI against this server.
    func run(_ arguments: String..., environment extra: [String: String] = [:], input: String? = nil) throws -> CommandResult {
        try run(arguments, environment: extra, input: input)
    }

    /// Runs the CLI against this server.
    func run(_ arguments: [String], environment extra: [String: String] = [:], input: String? = nil) throws -> CommandResult {
        try StewardBinary.run(arguments, directory: directory, environment: environment.merging(extra) { $1 }, input: input)
    }

    /// Starts the CLI in the background (for `--watch`); stop it with ``BackgroundCommand/stop()``.
    func start(_ arguments: String...) throws -> BackgroundCommand {
        try BackgroundCommand(arguments, directory: directory, environment: environment)
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and removes the directory.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard process.isRunning else {
                throw StartError(description: "steward server exited with \(process.terminationStatus):\n\(output)")
            }
            // The server prints its address after it has written its context.
            if Self.canConnect(port: port), output.contains("Steward listening on"),
               FileManager.default.fileExists(atPath: configPath) { return }
            usleep(50_000)
        }
        throw StartError(description: "steward server did not listen on \(port) within 30 s:\n\(output)")
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw StartError(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
