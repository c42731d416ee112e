import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `steward server` process on a given data directory and a free port.
final class ServerProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let home: String
    let port: Int
    private let process: Process
    private let logPath: String

    var url: String { "http://127.0.0.1:\(port)" }
    /// The server's process id.
    var pid: Int32 { process.processIdentifier }

    /// The built `steward` executable: next to the test bundle, or `STEWARD_BINARY`.
    static func binaryPath() throws -> String {
        if let override = ProcessInfo.processInfo.environment["STEWARD_BINARY"], !override.isEmpty { return override }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for directory in [bundle, Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL] {
            let candidate = directory.appendingPathComponent("steward").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Failure(description: "the steward binary was not found next to the test bundle; run `swift build` first or set STEWARD_BINARY")
    }

    /// A free TCP port on 127.0.0.1.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A `steward server` process on `home` and `port` whose output goes to `logPath`, not started.
    static func makeProcess(home: String, configPath: String, port: Int, logPath: String) throws -> Process {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binaryPath())
        process.arguments = ["server"]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STEWARD_") }
        environment["STEWARD_HOME"] = home
        environment["STEWARD_HOST"] = "127.0.0.1"
        environment["STEWARD_PORT"] = String(port)
        environment["STEWARD_CONFIG"] = configPath
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        return process
    }

    /// Starts `steward server` and waits until it prints that it listens.
    init(home: String, configPath: String) throws {
        self.home = home
        self.port = try Self.freePort()
        logPath = home + "-server-\(port).log"
        process = try Self.makeProcess(home: home, configPath: configPath, port: port, logPath: logPath)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if output.contains("Steward listening on") { return }
            if !process.isRunning {
                throw Failure(description: "steward server exited with \(process.terminationStatus):\n\(output)")
            }
            usleep(50_000)
        }
        kill(process.processIdentifier, SIGKILL)
        throw Failure(description: "steward server did not start within 30 s:\n\(output)")
    }

    /// What the server printed.
    var output: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Kills the server at once, as a crash would.
    func killHard() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Asks the server to stop (SIGTERM) and waits; returns its exit status.
    @discardableResult
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { killHard() }
        try? FileManager.default.removeItem(atPath: logPath)
    }
}
