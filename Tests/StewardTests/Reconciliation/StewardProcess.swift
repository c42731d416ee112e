import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `steward` process (a server or an executor) with its output in a file.
final class StewardProcess: @unchecked Sendable {
    let arguments: [String]
    private let process = Process()
    private let logPath: String

    /// Starts `steward ARGUMENTS` with `environment` added (STEWARD_* of the test's own
    /// environment are dropped).
    init(_ arguments: [String], environment extra: [String: String], logPath: String) throws {
        self.arguments = arguments
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: try ServerProcess.binaryPath())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STEWARD_") }
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Everything the process printed so far.
    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the output contains `text`; false after `timeout` seconds or when it exited.
    func waitForOutput(containing text: String, timeout: TimeInterval = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func kill(_ signal: Int32 = SIGKILL) {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    deinit { kill() }
}
