import Foundation

/// The beacon executable (`bench/beacon.c`), compiled with the machine's C compiler at the start
/// of `steward-bench supervise` into the run's directory.
struct BeaconProgram: Sendable {
    /// The compiled executable's absolute path.
    let path: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Finds `bench/beacon.c` (under the current directory, or above the benchmark's
    /// executable, as in `.build-release/release/steward-bench`) and compiles it with `cc -O2`
    /// (`CC` names another compiler) to `directory/beacon`.
    static func compile(into directory: String) throws -> BeaconProgram {
        let source = try sourcePath()
        let compiler = try compilerPath()
        let output = directory + "/beacon"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: compiler)
        process.arguments = ["-O2", "-o", output, source]
        let log = directory + "/beacon-cc.log"
        try process.run(loggingTo: log)
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: output) else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Failure(description: "\(compiler) -O2 -o \(output) \(source) failed (status \(process.terminationStatus)):\n\(text)")
        }
        return BeaconProgram(path: output)
    }

    static func sourcePath() throws -> String {
        let manager = FileManager.default
        var candidates = [manager.currentDirectoryPath + "/bench/beacon.c"]
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent("bench/beacon.c").path)
            directory.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: { manager.fileExists(atPath: $0) }) else {
            throw Failure(description: "bench/beacon.c not found: run steward-bench from the package root (looked in \(candidates[0]))")
        }
        return URL(fileURLWithPath: found).standardizedFileURL.path
    }

    static func compilerPath() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let names = environment["CC"].map { [$0] } ?? ["cc", "gcc", "clang"]
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in names {
            if name.hasPrefix("/") {
                if FileManager.default.isExecutableFile(atPath: name) { return name }
                continue
            }
            for directory in path where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
                return directory + "/" + name
            }
        }
        throw Failure(description: "no C compiler found (looked for \(names.joined(separator: ", ")) in PATH) to build bench/beacon.c: install one with apt-get install gcc, or set CC")
    }
}
