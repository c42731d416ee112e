import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// s6 (Debian's `s6`) as a supervision peer: `s6-svscan` on an empty scan directory; a submit
/// links N prepared service directories (each a `run` script `exec`ing the beacon) into it and
/// tells `s6-svscan` to rescan, as `s6-svscanctl -a` does (writing `a` to its control fifo), so
/// it starts one `s6-supervise` per service, which starts the service and restarts it when it
/// dies (at once when it ran at least a second).
final class S6Peer: SupervisorPeer, @unchecked Sendable {
    let name = "s6"
    let directory: String
    private var scanner: ChildProcess?
    private var supervisors: Set<Int32> = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var scanDirectory: String { directory + "/scan" }
    var logPath: String { directory + "/s6-svscan.log" }
    private var control: String { scanDirectory + "/.s6-svscan/control" }

    /// Where Debian installs s6; `S6_BIN` names another directory.
    static var binDirectory: String { ProcessInfo.processInfo.environment["S6_BIN"] ?? "/usr/bin" }

    init(directory: String) throws {
        self.directory = directory
        guard FileManager.default.isExecutableFile(atPath: Self.binDirectory + "/s6-svscan") else {
            throw Failure(description: "s6 is not installed (no \(Self.binDirectory)/s6-svscan): install it with apt-get install s6, or set S6_BIN to its directory")
        }
    }

    func start() async throws {
        try FileManager.default.createDirectory(atPath: scanDirectory, withIntermediateDirectories: true)
        // -c: room for more services than the default; no periodic rescan (-t 0).
        let process = try ChildProcess.spawn(Self.binDirectory + "/s6-svscan", ["-c", "4096", "-t", "0", scanDirectory], log: logPath)
        scanner = process
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: control) {
            guard process.isRunning else {
                throw Failure(description: "s6-svscan exited: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            guard Date() < deadline else { throw Failure(description: "s6-svscan did not create \(control) within 30 s") }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    func submit(instances: Int, beacon: BeaconProgram, socket: String) async throws -> UInt64 {
        // The service directories are prepared beforehand (as an administrator or s6-rc
        // would); linking them into the scan directory and the rescan are the request.
        let services = directory + "/services"
        let manager = FileManager.default
        for index in 0..<instances {
            let service = services + "/" + Self.serviceName(index)
            try manager.createDirectory(atPath: service, withIntermediateDirectories: true)
            let script = "#!/bin/sh\nexec \(beacon.path) \(socket) \(Self.serviceName(index))\n"
            try script.write(toFile: service + "/run", atomically: false, encoding: .utf8)
            chmod(service + "/run", 0o755)
        }
        let started = BeaconListener.now()
        for index in 0..<instances {
            let name = Self.serviceName(index)
            guard symlink(services + "/" + name, scanDirectory + "/" + name) == 0 else {
                throw Failure(description: "symlink into \(scanDirectory): \(String(cString: strerror(errno)))")
            }
        }
        let fd = open(control, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "open \(control): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard write(fd, "a", 1) == 1 else { throw Failure(description: "write \(control): \(String(cString: strerror(errno)))") }
        return started
    }

    static func serviceName(_ index: Int) -> String {
        "beacon-" + String(format: "%03d", index)
    }

    func supervisingPids() -> [Int32] {
        guard let scanner, scanner.isRunning else { return [] }
        let supervise = ProcessTable.children(of: scanner.pid).filter {
            ProcessTable.executable(of: $0).map { $0.hasSuffix("s6-supervise") } ?? false
        }
        supervisors.formUnion(supervise)
        return [scanner.pid] + supervise
    }

    func stop() async {
        guard let scanner else { return }
        _ = supervisingPids()
        if scanner.isRunning {
            // -t: s6-svscan has every s6-supervise bring its service down and exit, then exits.
            if let control = try? ChildProcess.spawn(Self.binDirectory + "/s6-svscanctl", ["-t", scanDirectory], log: directory + "/s6-svscanctl.log") {
                _ = await control.waitForExit(seconds: 10)
            }
            if !(await scanner.waitForExit(seconds: 15)) { await scanner.terminate(waiting: 5) }
        }
        ProcessTable.killRemaining(Array(supervisors), runningExecutable: "s6-supervise")
        self.scanner = nil
    }
}
