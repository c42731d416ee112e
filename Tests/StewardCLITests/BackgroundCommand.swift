import Foundation

/// A `steward` command running in the background, such as `service ls --watch`, whose output
/// is read while it runs.
final class BackgroundCommand: @unchecked Sendable {
    private let process: Process
    private let outputURL: URL

    /// Starts `steward` (or `executable`) with `arguments` in `directory` with exactly `environment`.
    init(_ arguments: [String], directory: URL, environment: [String: String], executable: String? = nil) throws {
        outputURL = directory.appendingPathComponent("background-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputURL)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? StewardBinary.path())
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// What the command printed so far (standard output and error).
    var output: String {
        (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
    }

    /// Waits until the output contains `text` (up to `timeout` seconds); true when it does.
    func waitForOutput(containing text: String, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            usleep(20_000)
        }
        return output.contains(text)
    }

    /// How a command that was sent a signal ended.
    struct Ending: Equatable, CustomStringConvertible {
        var reason: Process.TerminationReason
        var status: Int32

        var description: String { "\(reason == .exit ? "exit" : "signal") \(status)" }
    }

    /// Sends `signal` (SIGINT, SIGTERM) and waits up to `timeout` seconds for the command to end;
    /// nil when it did not, and was then killed.
    func stop(sending signal: Int32, timeout: TimeInterval = 10) -> Ending? {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return Ending(reason: process.terminationReason, status: process.terminationStatus)
    }

    /// Interrupts the command and waits for it to end.
    func stop() {
        if process.isRunning {
            process.interrupt()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { process.terminate() }
        }
        process.waitUntilExit()
    }
}
