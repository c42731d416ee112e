import Foundation
import Glibc
import Testing

@testable import StewardSupervisor

// Serialized: one test checks that no thread of this process is left in an instance's group,
// which a spawn of another test would be in for a moment.
@Suite("ProcessRuntime: memory limits", .serialized)
struct RuntimeMemoryTests {
    let directory = RuntimeTestDirectory()

    /// Appends 1 MiB (written, so resident) every 10 ms, up to 1 GiB, then waits.
    static let hog = """
        import time
        chunks = []
        while len(chunks) < 1024:
            chunks.append(b"x" * (1 << 20))
            time.sleep(0.01)
        time.sleep(1000)
        """

    func launch(_ name: String, _ command: [String], memoryLimit: Int64?) -> InstanceLaunch {
        InstanceLaunch(
            instanceID: RuntimeTest.instanceID(name), command: command, environment: RuntimeTest.environment,
            memoryLimit: memoryLimit, logPath: directory.file("logs/\(name).log")
        )
    }

    /// Whether this machine has a memory cgroup (v1 here: it should be found).
    var machineHasMemoryCgroup: Bool {
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        return own.split(separator: "\n").contains { $0.split(separator: ":").dropFirst().first?.contains("memory") == true }
            && FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory")
    }

    @Test func findsTheMemoryCgroupOfThisMachine() {
        let detected = CgroupMemory.detect()
        if machineHasMemoryCgroup {
            #expect(detected?.version == .v1)
            #expect(detected?.base.hasPrefix("/sys/fs/cgroup/memory/") == true)
            #expect(detected?.base.hasSuffix("/steward") == true)
        }
        #expect(ProcessRuntime(configuration: .init(useCgroups: false)).cgroupMemory == nil)
    }

    @Test(arguments: [true, false])
    func aHogOverItsLimitIsKilled(useCgroups: Bool) async throws {
        let runtime = ProcessRuntime(configuration: .init(useCgroups: useCgroups))
        let hog = launch("hog", [RuntimeTest.python3, "-c", Self.hog], memoryLimit: 50 << 20)
        let handle = try await runtime.start(hog)
        if useCgroups, runtime.cgroupMemory != nil {
            let cgroup = try #require(handle.cgroup)
            let members = try String(contentsOfFile: cgroup + "/cgroup.procs", encoding: .utf8)
            #expect(members.split(separator: "\n").contains("\(handle.pid)"))
            // The thread that spawned it into the group went back to the supervisor's group.
            let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
            for thread in threads {
                let groups = (try? String(contentsOfFile: "/proc/self/task/\(thread)/cgroup", encoding: .utf8)) ?? ""
                #expect(!groups.contains("/steward/"), "thread \(thread) stayed in an instance group: \(groups)")
            }
        } else {
            #expect(handle.cgroup == nil)
        }
        let ended = try await RuntimeTest.termination(of: hog.instanceID, on: runtime)
        #expect(ended.oomKilled)
        #expect(ended.exit == .signaled(signal: SIGKILL))
        await runtime.release(handle)
        if let cgroup = handle.cgroup {
            #expect(!FileManager.default.fileExists(atPath: cgroup), "the cgroup is removed at release")
        }
    }

    @Test(arguments: [true, false])
    func anInstanceUnderItsLimitIsNotKilled(useCgroups: Bool) async throws {
        let runtime = ProcessRuntime(configuration: .init(useCgroups: useCgroups))
        let script = "import time\nx = b'x' * (10 << 20)\ntime.sleep(1)\n"
        let modest = launch("modest", [RuntimeTest.python3, "-c", script], memoryLimit: 100 << 20)
        let handle = try await runtime.start(modest)
        let ended = try await RuntimeTest.termination(of: modest.instanceID, on: runtime)
        #expect(ended.exit == .exited(code: 0))
        #expect(!ended.oomKilled)
        await runtime.release(handle)
    }

    @Test(arguments: [true, false])
    func memoryUsageIsPlausible(useCgroups: Bool) async throws {
        let runtime = ProcessRuntime(configuration: .init(useCgroups: useCgroups))
        let script = "import time\nx = b'x' * (20 << 20)\nprint('ready', flush=True)\ntime.sleep(1000)\n"
        let holder = launch("holder", [RuntimeTest.python3, "-c", script], memoryLimit: 200 << 20)
        let handle = try await runtime.start(holder)
        try await RuntimeTest.waitUntil("the instance to hold its memory") { directory.read("logs/holder.log").contains("ready") }
        let usage = try #require(await runtime.memoryUsage(handle))
        #expect(usage >= 20 << 20)
        #expect(usage < 200 << 20)
        // Without a limit: the process tree's resident size.
        let plain = launch("plain", ["/bin/sh", "-c", "sleep 1000 & wait"], memoryLimit: nil)
        let plainHandle = try await runtime.start(plain)
        #expect(plainHandle.cgroup == nil)
        let plainUsage = try #require(await runtime.memoryUsage(plainHandle))
        #expect(plainUsage > 0)

        await runtime.signal(handle, SIGKILL)
        await runtime.signal(plainHandle, SIGKILL)
        let ended = try await RuntimeTest.terminations(of: [holder.instanceID, plain.instanceID], on: runtime)
        #expect(ended[holder.instanceID]?.oomKilled == false)
        #expect(await runtime.memoryUsage(handle) == nil, "an ended instance uses nothing")
        await runtime.release(handle)
        await runtime.release(plainHandle)
        if let cgroup = handle.cgroup { #expect(!FileManager.default.fileExists(atPath: cgroup)) }
    }

    @Test func releaseEndsWhatIsLeftInTheGroup() async throws {
        let runtime = ProcessRuntime()
        guard runtime.cgroupMemory != nil else { return }
        // The instance leaves a process behind in a session of its own, then ends.
        let leaver = launch("leaver", ["/bin/sh", "-c", "setsid sleep 1000 & echo $!"], memoryLimit: 50 << 20)
        let handle = try await runtime.start(leaver)
        #expect(try await RuntimeTest.termination(of: leaver.instanceID, on: runtime).exit == .exited(code: 0))
        let left = try #require(Int32(directory.read("logs/leaver.log").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(RuntimeTest.isRunning(left))
        await runtime.release(handle)
        try await RuntimeTest.waitUntil("the process left behind to end") { !RuntimeTest.isRunning(left) }
        let cgroup = try #require(handle.cgroup)
        #expect(!FileManager.default.fileExists(atPath: cgroup))
    }

    @Test func adoptKeepsTheCgroupOfTheHandle() async throws {
        let first = ProcessRuntime()
        guard first.cgroupMemory != nil else { return }
        let hog = launch("adopted-hog", [RuntimeTest.python3, "-c", "import sys\nsys.stdin.read()\n" + Self.hog], memoryLimit: 50 << 20)
        // stdin is /dev/null: read() returns at once, then the hog grows.
        let handle = try await first.start(hog)
        let second = ProcessRuntime()
        #expect(await second.adopt(handle, memoryLimit: 50 << 20))
        let ended = try await RuntimeTest.termination(of: hog.instanceID, on: second)
        #expect(ended.oomKilled)
        await first.release(handle)
        await second.release(handle)
        if let cgroup = handle.cgroup { #expect(!FileManager.default.fileExists(atPath: cgroup)) }
    }
}
