import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `steward-bench supervise`: Steward's process supervisor beside s6 and supervisord, doing the
/// same supervision work in the same run, observed the same way for all three.
struct SuperviseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervise",
        abstract: "Measure starting, restarting and idling processes under Steward beside s6 and supervisord.",
        discussion: """
            Needs a C compiler (cc, gcc or clang; CC names another): at start it compiles bench/beacon.c, a tiny program that on start sends one datagram (its pid, the CLOCK_REALTIME of its start and an id) to a unix socket of the benchmark and then pauses until a signal ends it. Every supervisor runs this beacon, and the benchmark learns that an instance runs from its datagram, never by asking the supervisor, so all three are observed alike. Each peer is started fresh in its own temporary directory for each part, alone on the machine:
              - steward: `steward server --log-level warning --stop-instances` (the executable built beside this one; STEWARD_BIN names another) with a temporary STEWARD_HOME; one createService of kind ProcessDeployment with `replicas` N and backoff.resetAfter 1s;
              - s6 (apt-get install s6; S6_BIN names its directory): s6-svscan on an empty scan directory; N prepared service directories (run: #!/bin/sh, exec beacon) are linked in and s6-svscan told to rescan (what s6-svscanctl -a does);
              - supervisord (pip install supervisor; SUPERVISORD names the executable) in the foreground: a [program:x] with numprocs=N, autostart, autorestart, startsecs=0 is added as an included file and supervisord sent what `supervisorctl update` sends (reloadConfig, addProcessGroup) over its XML-RPC HTTP interface, from this process as Steward's request is.

            Measures, for each:
              1. start --instances (100): from the request to the last instance's beacon (the instant its main began);
              2. crash → replacement: --crashes (200) times, round-robin over those instances, SIGKILL one that has run more than 1.1 s (so that Steward's resetAfter restarts it at once) and time until its replacement's beacon; p50, p99, max;
              3. idle --idle-instances (500): once all run and 2 s more, the CPU time (utime + stime, /proc/<pid>/stat) and resident memory (VmRSS, and Pss from smaps_rollup) of the supervising process(es) over --idle-seconds: steward server; supervisord; s6-svscan plus all s6-supervise processes, summed.

            Prints the figures side by side with Steward's ratio to each peer, and the targets: crash → replacement p50 under 10 ms and no slower than s6; all instances running in under half supervisord's time; less CPU and memory than supervisord when idle. Stops every supervisor, kills every beacon it saw and removes the run's directory, also when a part fails (a failed peer is reported, the others still run, and the exit status is 1).

            EXAMPLE:
              apt-get install s6 gcc && pip install supervisor
              swift build -c release --build-path .build-release --product steward
              swift build -c release --build-path .build-release --product steward-bench
              .build-release/release/steward-bench supervise
              .build-release/release/steward-bench supervise --peers s6,supervisord --idle-seconds 10
            """
    )

    @Option(help: "The supervisors to measure, comma-separated (steward, s6, supervisord).")
    var peers = "steward,s6,supervisord"

    @Option(help: "Instances started for the start and crash measurements.")
    var instances = 100

    @Option(help: "Crashes (SIGKILLs), round-robin over the instances.")
    var crashes = 200

    @Option(help: "Instances running during the idle measurement.")
    var idleInstances = 500

    @Option(help: "Seconds of the idle measurement.")
    var idleSeconds = 60

    @Option(help: "Seconds to wait for instances to report running before a part fails.")
    var timeout = 60

    @Flag(help: "Keep the run's directory (logs, configurations) instead of removing it.")
    var keep = false

    var kinds: [SupervisorKind] {
        let names = Set(peers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        return SupervisorKind.allCases.filter { names.contains($0.rawValue) }
    }

    func validate() throws {
        let known = Set(SupervisorKind.allCases.map(\.rawValue))
        let names = peers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw ValidationError("--peers: unknown supervisor '\(unknown)' (choose from steward, s6, supervisord)")
        }
        if kinds.isEmpty { throw ValidationError("--peers must name at least one of steward, s6, supervisord") }
        if instances < 1 || crashes < 0 || idleInstances < 1 || idleSeconds < 1 || timeout < 1 {
            throw ValidationError("--instances, --idle-instances, --idle-seconds and --timeout must be positive, --crashes not negative")
        }
    }

    func run() async throws {
        let runDirectory = try Self.makeTemporaryDirectory()
        defer {
            if keep { progress("kept \(runDirectory)") } else { try? FileManager.default.removeItem(atPath: runDirectory) }
        }
        let beacon = try BeaconProgram.compile(into: runDirectory)
        let listener = try BeaconListener(path: runDirectory + "/beacon.sock")
        defer { listener.stop() }
        progress("beacon \(beacon.path), socket \(listener.path)")

        var results = kinds.map { SupervisionResult(kind: $0) }
        for index in results.indices {
            let kind = results[index].kind
            do {
                try await measureStartAndCrashes(kind, into: &results[index], beacon: beacon, listener: listener, directory: runDirectory)
            } catch {
                progress("\(kind.rawValue): \(error)")
                results[index].failure = "\(error)"
            }
        }
        for index in results.indices where results[index].failure == nil {
            let kind = results[index].kind
            do {
                try await measureIdle(kind, into: &results[index], beacon: beacon, listener: listener, directory: runDirectory)
            } catch {
                progress("\(kind.rawValue): \(error)")
                results[index].failure = "\(error)"
            }
        }
        print(
            SupervisionResult.report(
                results, instances: instances, crashes: crashes, idleInstances: idleInstances, idleSeconds: idleSeconds),
            terminator: "")
        if results.contains(where: { $0.failure != nil }) { throw ExitCode(1) }
    }

    /// Parts 1 and 2 on a fresh peer.
    private func measureStartAndCrashes(
        _ kind: SupervisorKind, into result: inout SupervisionResult, beacon: BeaconProgram, listener: BeaconListener, directory: String
    ) async throws {
        let instances = self.instances, crashes = self.crashes, timeout = Double(self.timeout)
        let measured = try await withPeer(kind, directory: directory + "/\(kind.rawValue)-start", beacon: beacon, listener: listener) { peer in
            progress("\(kind.rawValue): starting \(instances) instances ...")
            let mark = listener.count
            let submitted = try await peer.submit(instances: instances, beacon: beacon, socket: listener.path)
            let started = try await listener.wait(
                for: instances, from: mark, timeout: timeout, what: "\(kind.rawValue) start (its log: \(peer.logPath))")
            let last = started.map(\.startedAt).max() ?? submitted, first = started.map(\.startedAt).min() ?? submitted
            let startAll = Double(Int64(bitPattern: last &- submitted)) / 1e6
            let startFirst = Double(Int64(bitPattern: first &- submitted)) / 1e6

            progress("\(kind.rawValue): \(crashes) crashes round-robin over \(instances) instances ...")
            var slots = started
            var latencies: [UInt64] = []
            let began = Date()
            for crash in 0..<crashes {
                let slot = crash % slots.count
                let victim = slots[slot]
                let minimumAge: UInt64 = 1_100_000_000
                let age = BeaconListener.now() &- victim.startedAt
                if age < minimumAge { try await Task.sleep(nanoseconds: minimumAge - age) }
                let before = listener.count
                let killedAt = BeaconListener.now()
                guard kill(victim.pid, SIGKILL) == 0 else {
                    throw SuperviseFailure(description: "\(kind.rawValue): instance \(victim.pid) was gone before it was killed (crash \(crash + 1))")
                }
                let replacement = try await listener.wait(
                    for: 1, from: before, timeout: timeout,
                    what: "\(kind.rawValue): replacement of killed instance \(victim.pid) (crash \(crash + 1); its log: \(peer.logPath))")[0]
                latencies.append(replacement.startedAt > killedAt ? replacement.startedAt - killedAt : 0)
                slots[slot] = replacement
            }
            let crash = LatencyStats(operation: "crash → replacement", latencies: latencies, seconds: Date().timeIntervalSince(began))
            return (startAll, startFirst, crash)
        }
        result.startAll = measured.0
        result.startFirst = measured.1
        result.crash = crashes > 0 ? measured.2 : nil
    }

    /// Part 3 on a fresh peer.
    private func measureIdle(
        _ kind: SupervisorKind, into result: inout SupervisionResult, beacon: BeaconProgram, listener: BeaconListener, directory: String
    ) async throws {
        let count = idleInstances, seconds = idleSeconds, timeout = Double(self.timeout)
        result = try await withPeer(kind, directory: directory + "/\(kind.rawValue)-idle", beacon: beacon, listener: listener) {
            [result] peer in
            var result = result
            progress("\(kind.rawValue): starting \(count) instances ...")
            let mark = listener.count
            let submitted = try await peer.submit(instances: count, beacon: beacon, socket: listener.path)
            let started = try await listener.wait(
                for: count, from: mark, timeout: max(timeout, 120), what: "\(kind.rawValue) start of \(count) (its log: \(peer.logPath))")
            let last = started.map(\.startedAt).max() ?? submitted
            result.startIdle = Double(Int64(bitPattern: last &- submitted)) / 1e6
            try await Task.sleep(nanoseconds: 2_000_000_000)

            progress("\(kind.rawValue): idle with \(count) instances for \(seconds) s ...")
            let pids = peer.supervisingPids()
            guard !pids.isEmpty else { throw SuperviseFailure(description: "\(kind.rawValue): the supervisor is not running (its log: \(peer.logPath))") }
            let afterStart = listener.count
            func cpu() -> Double { pids.reduce(0) { $0 + (ProcessCPU(pid: $1).seconds() ?? 0) } }
            func resident() -> Int64 { pids.reduce(0) { $0 + (ProcessTable.residentBytes(of: $1) ?? 0) } }
            let cpuBefore = cpu()
            var peak = resident()
            for _ in 0..<seconds {
                try await Task.sleep(nanoseconds: 1_000_000_000)
                peak = max(peak, resident())
            }
            let cpuAfter = cpu()
            let end = resident()
            guard pids.allSatisfy(ProcessTable.isAlive) else {
                throw SuperviseFailure(description: "\(kind.rawValue): a supervising process exited during the idle window (its log: \(peer.logPath))")
            }
            result.idleCPU = cpuAfter - cpuBefore
            result.idleResident = end
            result.idleProportional = pids.reduce(0) { $0 + (ProcessTable.proportionalBytes(of: $1) ?? 0) }
            result.idlePeakResident = max(peak, end)
            result.idleProcesses = pids.count
            result.idleRestarts = listener.count - afterStart
            return result
        }
    }

    /// Runs `body` on a started peer, then stops it and kills every beacon that reported since
    /// the peer started, whether `body` succeeded or not.
    private func withPeer<T>(
        _ kind: SupervisorKind, directory: String, beacon: BeaconProgram, listener: BeaconListener,
        _ body: (any SupervisorPeer) async throws -> T
    ) async throws -> T {
        let peer = try kind.make(directory: directory)
        let mark = listener.count
        func cleanUp() async {
            await peer.stop()
            let pids = listener.beacons(from: mark).map(\.pid)
            let killed = ProcessTable.killRemaining(pids, runningExecutable: beacon.path)
            if killed > 0 { progress("\(kind.rawValue): \(killed) instance(s) still ran after the supervisor stopped; killed") }
        }
        do {
            progress("\(kind.rawValue): starting the supervisor ...")
            try await peer.start()
            let value = try await body(peer)
            await cleanUp()
            return value
        } catch {
            await cleanUp()
            throw error
        }
    }

    /// A new directory under TMPDIR (else /tmp), short enough for the socket's path.
    static func makeTemporaryDirectory() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((base + "/steward-supervise-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SuperviseFailure(description: "mkdtemp in \(base): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}

/// A part of `steward-bench supervise` that could not be measured.
struct SuperviseFailure: Error, CustomStringConvertible {
    var description: String
}

private func progress(_ text: String) {
    FileHandleOutput.error(text + "\n")
}
