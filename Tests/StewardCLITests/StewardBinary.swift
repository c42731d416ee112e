import Foundation
import Synchronization

/// Finds and runs the built `steward` executable.
///
/// The binary sits in the build's product directory, next to the test bundle
/// (`.build/debug/stewardPackageTests.xctest`); `STEWARD_BINARY` overrides the search.
enum StewardBinary {
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// The path of the `steward` executable.
    static func path() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["STEWARD_BINARY"], !override.isEmpty { return override }
        var candidates: [URL] = []
        let argumentZero = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(argumentZero.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        // macOS: .build/debug/stewardPackageTests.xctest/Contents/MacOS/stewardPackageTests
        candidates.append(argumentZero.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        for directory in candidates {
            let candidate = directory.appendingPathComponent("steward").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw NotFound(
            description: "the steward binary was not found next to the test bundle (\(candidates.map(\.path))); run `swift build` first or set STEWARD_BINARY")
    }

    /// Runs `steward` (or `executable`, such as `/bin/bash`) with `arguments` in `directory`
    /// with exactly `environment`, waits for it and returns what it printed. A command still
    /// running after `timeout` is killed (its stderr then says so), so that a hang fails the test
    /// instead of stopping the whole run.
    static func run(
        _ arguments: [String], directory: URL, environment: [String: String], input: String? = nil, executable: String? = nil,
        timeout: Duration = .seconds(180)
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? path())
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let id = UUID().uuidString
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("steward-out-\(id)")
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("steward-err-\(id)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let input {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        let killed = Mutex(false)
        let watchdog = DispatchWorkItem { [process] in
            guard process.isRunning else { return }
            killed.withLock { $0 = true }
            kill(process.processIdentifier, SIGKILL)
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let timedOut = killed.withLock { $0 }
        try out.close()
        try err.close()
        return CommandResult(
            arguments: arguments,
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
                + (timedOut ? "\n[the test killed this command: still running after \(timeout)]\n" : ""))
    }
}
