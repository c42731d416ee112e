import Foundation
import Glibc
import Testing
import CStewardSystem

@testable import StewardSupervisor

/// Not a test: measures how long `start` takes, against a bare `posix_spawn` of the same program
/// (whose time is the exec itself). Run with
/// `STEWARD_RUNTIME_TIMING=1 swift test --filter RuntimeStartTiming` (add `-c release` for the
/// figure that matters); it prints medians and the 99th percentile and asserts nothing.
@Suite("ProcessRuntime: start timing", .enabled(if: ProcessInfo.processInfo.environment["STEWARD_RUNTIME_TIMING"] != nil))
struct RuntimeStartTiming {
    let directory = RuntimeTestDirectory()
    let rounds = 500

    @Test func startTiming() async throws {
        let program = "/bin/true"
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root", "STEWARD_INSTANCE": "x"]
        var bare: [Duration] = []
        var spawner: [Duration] = []
        var start: [Duration] = []
        var endSeen: [Duration] = []
        let clock = ContinuousClock()

        let argv = CStringArray([program])
        let envp = CStringArray(environment.map { "\($0.key)=\($0.value)" })
        defer {
            argv.free()
            envp.free()
        }
        for _ in 0..<rounds {
            var pid: pid_t = 0
            let began = clock.now
            let result = posix_spawn(&pid, program, nil, nil, argv.pointers, envp.pointers)
            bare.append(clock.now - began)
            precondition(result == 0)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }

        let log = try ProcessSpawner.openLog(directory.file("spawner.log"))
        for _ in 0..<rounds {
            let began = clock.now
            let pid = try ProcessSpawner.spawn([program], environment: environment, workingDirectory: directory.path, output: log)
            spawner.append(clock.now - began)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(log)

        var phases: [String: [Duration]] = [:]
        for _ in 0..<rounds {
            var t = clock.now
            func lap(_ name: String) {
                let now = clock.now
                phases[name, default: []].append(now - t)
                t = now
            }
            let log = try ProcessSpawner.openLog(directory.file("logs/phases.log"))
            lap("1 openLog")
            let pid = try ProcessSpawner.spawn([program], environment: environment, workingDirectory: directory.path, output: log)
            lap("2 spawn")
            close(log)
            _ = ProcFS.startTime(pid)
            lap("3 startTime")
            let pidfd = steward_pidfd_open(pid)
            lap("4 pidfd_open")
            close(pidfd)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }

        let runtime = ProcessRuntime()
        for round in 0..<rounds {
            let launch = InstanceLaunch(
                instanceID: "timing-0-\(round)", command: [program], environment: environment,
                workingDirectory: directory.path, logPath: directory.file("logs/timing.log"))
            let began = clock.now
            _ = try await runtime.start(launch)
            let started = clock.now
            start.append(started - began)
            _ = try await RuntimeTest.termination(of: launch.instanceID, on: runtime)
            endSeen.append(clock.now - started)
        }

        var limited: [Duration] = []
        for round in 0..<100 {
            let launch = InstanceLaunch(
                instanceID: "timing-limited-\(round)", command: [program], environment: environment,
                workingDirectory: directory.path, memoryLimit: 64 << 20, logPath: directory.file("logs/timing.log"))
            let began = clock.now
            let handle = try await runtime.start(launch)
            limited.append(clock.now - began)
            _ = try await RuntimeTest.termination(of: launch.instanceID, on: runtime)
            await runtime.release(handle)
        }

        func summary(_ name: String, _ samples: [Duration]) -> String {
            let sorted = samples.sorted()
            func micros(_ d: Duration) -> String {
                String(format: "%.0f µs", Double(d.components.attoseconds) / 1e12 + Double(d.components.seconds) * 1e6)
            }
            return "\(name): median \(micros(sorted[sorted.count / 2])), p99 \(micros(sorted[sorted.count * 99 / 100]))"
        }
        for (name, samples) in phases.sorted(by: { $0.key < $1.key }) { print(summary(name, samples)) }
        print(summary("bare posix_spawn (the exec itself)", bare))
        print(summary("ProcessSpawner.spawn", spawner))
        print(summary("ProcessRuntime.start", start))
        print(summary("start returned → termination of /bin/true received", endSeen))
        print(summary("ProcessRuntime.start with a memory limit (cgroup \(runtime.cgroupMemory.map { "\($0.version)" } ?? "none"))", limited))
        let overhead = zip(start.sorted(), bare.sorted()).map { $0 - $1 }
        print(summary("start − bare spawn (by rank)", overhead))
    }
}
