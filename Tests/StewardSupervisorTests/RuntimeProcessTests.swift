import Foundation
import Glibc
import Testing

@testable import StewardSupervisor

@Suite("ProcessRuntime: spawn, signals, exits")
struct RuntimeProcessTests {
    let directory = RuntimeTestDirectory()

    func launch(_ name: String, _ command: [String], environment: [String: String] = RuntimeTest.environment,
        workingDirectory: String? = nil, memoryLimit: Int64? = nil) -> InstanceLaunch {
        InstanceLaunch(
            instanceID: RuntimeTest.instanceID(name), command: command, environment: environment,
            workingDirectory: workingDirectory, memoryLimit: memoryLimit, logPath: directory.file("logs/\(name).log")
        )
    }

    @Test func reportsTheExitCode() async throws {
        let runtime = ProcessRuntime()
        let launch = launch("exit3", ["/bin/sh", "-c", "exit 3"])
        let handle = try await runtime.start(launch)
        #expect(handle.pid > 0)
        #expect(handle.startTime > 0)
        #expect(handle.instanceID == launch.instanceID)
        let ended = try await RuntimeTest.termination(of: launch.instanceID, on: runtime)
        #expect(ended.exit == .exited(code: 3))
        #expect(ended.handle == handle)
        #expect(!ended.oomKilled)
        await runtime.release(handle)
    }

    @Test func reportsAnImmediateExit() async throws {
        let runtime = ProcessRuntime()
        let launch = launch("true", ["/bin/true"])
        _ = try await runtime.start(launch)
        #expect(try await RuntimeTest.termination(of: launch.instanceID, on: runtime).exit == .exited(code: 0))
    }

    @Test func reportsTheSignalThatEndedIt() async throws {
        let runtime = ProcessRuntime()
        let launch = launch("kill9", ["/bin/sh", "-c", "kill -9 $$"])
        _ = try await runtime.start(launch)
        #expect(try await RuntimeTest.termination(of: launch.instanceID, on: runtime).exit == .signaled(signal: SIGKILL))
    }

    @Test func startsInASessionOfItsOwnAndSignalsEndIt() async throws {
        let runtime = ProcessRuntime()
        let launch = launch("sleep", ["sleep", "1000"])
        let handle = try await runtime.start(launch)
        #expect(RuntimeTest.isRunning(handle.pid))
        #expect(getpgid(handle.pid) == handle.pid)
        #expect(getsid(handle.pid) == handle.pid)
        #expect(ProcFS.startTime(handle.pid) == handle.startTime)
        await runtime.signal(handle, SIGTERM)
        let ended = try await RuntimeTest.termination(of: launch.instanceID, on: runtime)
        #expect(ended.exit == .signaled(signal: SIGTERM))
        // Signalling an ended instance does nothing.
        await runtime.signal(handle, SIGTERM)
        await runtime.release(handle)
    }

    @Test func signalReachesTheWholeGroup() async throws {
        let runtime = ProcessRuntime()
        let launch = launch("group", ["/bin/sh", "-c", "sleep 1000 & echo $!; wait"])
        let handle = try await runtime.start(launch)
        var child: Int32 = 0
        try await RuntimeTest.waitUntil("the child's pid in the log") {
            child = Int32(directory.read("logs/group.log").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            return child > 0
        }
        #expect(RuntimeTest.isRunning(child))
        #expect(getpgid(child) == handle.pid)
        await runtime.signal(handle, SIGTERM)
        #expect(try await RuntimeTest.termination(of: launch.instanceID, on: runtime).exit == .signaled(signal: SIGTERM))
        try await RuntimeTest.waitUntil("the child of the instance to end") { !RuntimeTest.isRunning(child) }
    }

    @Test func environmentWorkingDirectoryAndLogArrive() async throws {
        let runtime = ProcessRuntime()
        var environment = RuntimeTest.environment
        environment["FOO"] = "bar baz"
        let first = launch("env", ["sh", "-c", "echo $FOO; pwd; echo to-stderr >&2"], environment: environment,
            workingDirectory: directory.path)
        _ = try await runtime.start(first)
        #expect(try await RuntimeTest.termination(of: first.instanceID, on: runtime).exit == .exited(code: 0))
        #expect(directory.read("logs/env.log") == "bar baz\n\(directory.path)\nto-stderr\n")
        var info = stat()
        #expect(stat(first.logPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o640)

        // The log is appended to, not replaced.
        var second = first
        second.instanceID = RuntimeTest.instanceID("env")
        second.command = ["/bin/sh", "-c", "echo again"]
        _ = try await runtime.start(second)
        #expect(try await RuntimeTest.termination(of: second.instanceID, on: runtime).exit == .exited(code: 0))
        #expect(directory.read("logs/env.log").hasSuffix("to-stderr\nagain\n"))
    }

    @Test func childInheritsNoDescriptorsNoMaskAndNoIgnoredSignals() async throws {
        let runtime = ProcessRuntime()
        // The test process ignores SIGPIPE (as servers do) and blocks SIGUSR1: the child must not.
        let previous = Glibc.signal(SIGPIPE, SIG_IGN)
        defer { Glibc.signal(SIGPIPE, previous) }
        let fds = launch("fds", ["/bin/ls", "/proc/self/fd"])
        _ = try await runtime.start(fds)
        #expect(try await RuntimeTest.termination(of: fds.instanceID, on: runtime).exit == .exited(code: 0))
        let open = directory.read("logs/fds.log").split(separator: "\n").compactMap { Int($0) }
        // 0, 1, 2 and the directory `ls` reads.
        #expect(open.filter { $0 > 3 } == [], "descriptors leaked: \(open)")

        let signals = launch("signals", ["/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"])
        _ = try await runtime.start(signals)
        #expect(try await RuntimeTest.termination(of: signals.instanceID, on: runtime).exit == .exited(code: 0))
        #expect(directory.read("logs/signals.log") == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n")
    }

    @Test func startErrorsNameThePath() async throws {
        let runtime = ProcessRuntime()
        await #expect(throws: InstanceStartError("/no/such/bin: no such file or directory")) {
            try await runtime.start(launch("missing", ["/no/such/bin"]))
        }
        await #expect(throws: InstanceStartError("/etc/passwd: permission denied (not executable)")) {
            try await runtime.start(launch("notexec", ["/etc/passwd"]))
        }
        await #expect(throws: InstanceStartError("working directory /nope: no such file or directory")) {
            try await runtime.start(launch("nowd", ["/bin/true"], workingDirectory: "/nope"))
        }
        await #expect(throws: InstanceStartError("working directory /etc/passwd: not a directory")) {
            try await runtime.start(launch("wdfile", ["/bin/true"], workingDirectory: "/etc/passwd"))
        }
        await #expect(throws: InstanceStartError("/tmp: is a directory (not executable)")) {
            try await runtime.start(launch("dir", ["/tmp"]))
        }
        await #expect(throws: InstanceStartError("no-such-command-x: command not found in PATH /usr/bin:/bin")) {
            try await runtime.start(launch("nocmd", ["no-such-command-x"], environment: ["PATH": "/usr/bin:/bin"]))
        }
        let script = directory.file("orphan-script")
        try "#!/no/such/interpreter -x\necho never\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        await #expect(throws: InstanceStartError("\(script): its interpreter /no/such/interpreter was not found")) {
            try await runtime.start(launch("interp", [script]))
        }
        await #expect(throws: InstanceStartError("the command is empty: give at least the program to run")) {
            try await runtime.start(launch("empty", []))
        }
    }

    @Test func looksTheCommandUpInThePathOfTheLaunch() async throws {
        let bin = directory.file("bin")
        mkdir(bin, 0o755)
        let script = bin + "/hello-steward"
        try "#!/bin/sh\necho hello from $0\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let runtime = ProcessRuntime()
        let hello = launch("path", ["hello-steward"], environment: ["PATH": "/nonexistent:\(bin):/usr/bin:/bin"])
        _ = try await runtime.start(hello)
        #expect(try await RuntimeTest.termination(of: hello.instanceID, on: runtime).exit == .exited(code: 0))
        #expect(directory.read("logs/path.log") == "hello from \(script)\n")

        // A relative path with a slash is relative to the working directory.
        let relative = launch("relative", ["./bin/hello-steward"], workingDirectory: directory.path)
        _ = try await runtime.start(relative)
        #expect(try await RuntimeTest.termination(of: relative.instanceID, on: runtime).exit == .exited(code: 0))
        #expect(directory.read("logs/relative.log") == "hello from \(script)\n")
    }

    @Test func adoptsAProcessOfAnotherRuntime() async throws {
        let first = ProcessRuntime()
        let sleeper = launch("adopt", ["/bin/sleep", "1000"])
        let handle = try await first.start(sleeper)

        let second = ProcessRuntime()
        #expect(await second.adopt(handle, memoryLimit: nil))
        #expect(await second.adopt(handle, memoryLimit: nil), "adopting twice is harmless")
        #expect(await second.memoryUsage(handle).map { $0 > 0 } == true)
        await second.signal(handle, SIGKILL)
        let ended = try await RuntimeTest.termination(of: sleeper.instanceID, on: second)
        // The first runtime's process is this test's child: whichever runtime reaps it first
        // learns the signal, the other `.unknown`.
        #expect(ended.exit == .unknown || ended.exit == .signaled(signal: SIGKILL))
        let endedFirst = try await RuntimeTest.termination(of: sleeper.instanceID, on: first)
        #expect(endedFirst.exit == .unknown || endedFirst.exit == .signaled(signal: SIGKILL))
        #expect(ended.exit != endedFirst.exit)
        await second.release(handle)
        await first.release(handle)
    }

    @Test func adoptsAProcessThatIsNotItsChild() async throws {
        let runtime = ProcessRuntime()
        // `setsid sleep` in the background of a shell that exits: the sleep is reparented to
        // init and leads a session of its own, like an instance after the supervisor restarted.
        let parent = launch("orphaner", ["/bin/sh", "-c", "setsid sleep 1000 & echo $!"])
        _ = try await runtime.start(parent)
        #expect(try await RuntimeTest.termination(of: parent.instanceID, on: runtime).exit == .exited(code: 0))
        let orphan = try #require(Int32(directory.read("logs/orphaner.log").trimmingCharacters(in: .whitespacesAndNewlines)))
        try await RuntimeTest.waitUntil("the orphan to lead its session") { getsid(orphan) == orphan && getppid() != orphan }
        let handle = InstanceHandle(instanceID: RuntimeTest.instanceID("orphan"), pid: orphan,
            startTime: try #require(ProcFS.startTime(orphan)))
        #expect(await runtime.adopt(handle, memoryLimit: nil))
        await runtime.signal(handle, SIGTERM)
        let ended = try await RuntimeTest.termination(of: handle.instanceID, on: runtime)
        #expect(ended.exit == .unknown, "the kernel tells only the parent how a process ended")
        #expect(!ended.oomKilled)
        #expect(await !runtime.adopt(handle, memoryLimit: nil), "gone now")
        await runtime.release(handle)
    }

    @Test func doesNotAdoptOrSignalPidsZeroOrOne() async throws {
        let runtime = ProcessRuntime()
        for pid: Int32 in [-1, 0, 1] {
            let handle = InstanceHandle(instanceID: RuntimeTest.instanceID("bad"), pid: pid, startTime: ProcFS.startTime(1) ?? 0)
            #expect(await !runtime.adopt(handle, memoryLimit: nil))
        }
    }

    @Test func doesNotAdoptAnEndedOrReusedPid() async throws {
        let first = ProcessRuntime()
        let short = launch("gone", ["/bin/true"])
        let gone = try await first.start(short)
        _ = try await RuntimeTest.termination(of: short.instanceID, on: first)

        let second = ProcessRuntime()
        #expect(await !second.adopt(gone, memoryLimit: nil))

        let sleeper = launch("other", ["/bin/sleep", "1000"])
        let live = try await first.start(sleeper)
        var reused = live
        reused.startTime += 1
        #expect(await !second.adopt(reused, memoryLimit: nil))
        // A handle whose start time does not match is not signalled either.
        await second.signal(reused, SIGKILL)
        #expect(RuntimeTest.isRunning(live.pid))
        await first.signal(live, SIGKILL)
        #expect(try await RuntimeTest.termination(of: sleeper.instanceID, on: first).exit == .signaled(signal: SIGKILL))
    }
}

@Suite("ProcFS: /proc readers")
struct RuntimeProcFSTests {
    let directory = RuntimeTestDirectory()

    /// Field 22 the plain way: split after the last `)`.
    func referenceStartTime(_ pid: Int32) throws -> UInt64 {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        return try #require(UInt64(fields[19]))
    }

    @Test func startTimeSurvivesParenthesesAndSpacesInTheCommandName() async throws {
        #expect(try ProcFS.startTime(getpid()) == referenceStartTime(getpid()))
        let odd = directory.file("x) 1 2 (y")
        symlink("/bin/sleep", odd)
        let runtime = ProcessRuntime()
        let launch = InstanceLaunch(instanceID: RuntimeTest.instanceID("odd"), command: [odd, "1000"], environment: RuntimeTest.environment,
            logPath: directory.file("odd.log"))
        let handle = try await runtime.start(launch)
        let comm = try String(contentsOfFile: "/proc/\(handle.pid)/comm", encoding: .utf8)
        #expect(comm.hasPrefix("x) 1 2 (y"))
        #expect(try handle.startTime == referenceStartTime(handle.pid))
        await runtime.signal(handle, SIGKILL)
        _ = try await RuntimeTest.termination(of: launch.instanceID, on: runtime)
        #expect(ProcFS.startTime(handle.pid) == nil, "gone")
    }

    @Test func residentSizeOfATree() throws {
        let own = try #require(ProcFS.residentBytes(getpid()))
        #expect(own > 1 << 20)
        #expect(try #require(ProcFS.treeResidentBytes(getpid())) >= own)
        #expect(ProcFS.residentBytes(-5) == nil)
    }
}
