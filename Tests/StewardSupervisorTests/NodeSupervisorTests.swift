import Foundation
import Glibc
import JSONSchema
import StewardCore
import Testing

@testable import StewardSupervisor

/// The node supervisor with the real process runtime and health probe: real child processes,
/// temp directories for records and logs, statuses recorded by a sink (no server).
@Suite("NodeSupervisor with real processes", .serialized)
struct NodeSupervisorTests {
    static let sleep: JSON = ["/bin/sleep", "1000"]

    @Test func scalesOneThreeZeroAndLeavesNoRecords() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            var spec: JSON = ["command": Self.sleep, "replicas": 1]
            await supervisor.apply(try h.service("web", spec))
            let first = try await h.waitForLive(supervisor, "web", count: 1)

            spec["replicas"] = 3
            await supervisor.apply(try h.service("web", spec))
            let three = try await h.waitForLive(supervisor, "web", count: 3)
            let pids = Set(three.compactMap { $0.handle?.pid })
            #expect(pids.count == 3)
            #expect(pids.contains(first[0].handle!.pid), "scaling up keeps the running instance")
            #expect(pids.allSatisfy { kill($0, 0) == 0 })
            #expect(Set(three.map(\.replica)) == [0, 1, 2])
            try await RuntimeTest.waitUntil("3 instance records") { h.recordFiles.count == 3 }

            spec["replicas"] = 0
            await supervisor.apply(try h.service("web", spec))
            try await RuntimeTest.waitUntil("no instance of web") {
                await supervisor.supervision(namespace: h.namespace, name: "web")?.instances.isEmpty == true
            }
            try await RuntimeTest.waitUntil("the 3 processes ended") { pids.allSatisfy { !RuntimeTest.isRunning($0) } }
            #expect(h.recordFiles.isEmpty)
            try await RuntimeTest.waitUntil("a status with no instance running") {
                let last = await h.recorder.of("web").last
                return last?.status["runningInstances"]?.intValue == 0 && last?.status["totalInstances"]?.intValue == 0
                    && last?.status["instances"]?.arrayValue?.isEmpty == true
            }
        }
    }

    @Test func aCrashLoopBacksOffAndDoesNotFloodTheStatus() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            let spec: JSON = ["command": ["/bin/sh", "-c", "exit 3"], "backoff": ["initial": "100ms"]]
            let applied = ContinuousClock.now
            await supervisor.apply(try h.service("crash", spec))
            try await RuntimeTest.waitUntil("5 restarts") {
                (await supervisor.supervision(namespace: h.namespace, name: "crash")?.slots[0]?.restarts ?? 0) >= 5
            }
            // Watch the loop for 3 s in all.
            try await Task.sleep(until: applied + .seconds(3), clock: .continuous)
            let written = await h.recorder.of("crash")
            let watched = ContinuousClock.now - applied

            // Each start makes a log file named after the instance id, which embeds the start ms.
            let logs = h.logsDirectory + "/\(h.namespace)/crash/0"
            let ids = try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.hasSuffix(".log") }
                .map { String($0.dropLast(4)) }.sorted()
            let starts = ids.compactMap(startMS(ofInstanceID:))
            #expect(starts.count == ids.count && starts.count >= 4)
            let gaps = zip(starts.dropFirst(), starts).map { $0 - $1 }
            // Crash n + 1 in a row (the first restarts at once) waits 100ms · 2^(n-1).
            for (n, gap) in gaps.enumerated() where n >= 1 {
                let delay = Int64(100) << (n - 1)
                #expect(gap >= delay, "start \(n + 1) came \(gap)ms after the one before, under its delay of \(delay)ms")
            }
            #expect(gaps.last! > gaps.first!, "the delays grow: \(gaps)")

            // Restarts only grow, and the loop shows in status.
            let restarts = written.compactMap { $0.row(0)?["restarts"]?.intValue }
            #expect(restarts == restarts.sorted())
            #expect(
                written.contains { status in
                    let row = status.row(0)
                    return row?["state"]?.stringValue == "BACKOFF" && row?["reason"]?.stringValue == "CrashLoopBackOff"
                        && row?["lastExit"]?["code"]?.intValue == 3 && row?["nextRestartAt"]?.stringValue != nil
                })
            // Coalesced: after the first (forced by apply), writes are at least statusInterval
            // (500ms) apart, however many instances crashed in between.
            let decided = written.compactMap(\.decidedAt)
            #expect(decided.count == written.count)
            for (later, earlier) in zip(decided.dropFirst(), decided) {
                #expect(later - earlier >= 500, "two status writes \(later - earlier)ms apart")
            }
            let allowed = Int(watched / .milliseconds(500)) + 2
            #expect(written.count <= allowed, "\(written.count) status writes in \(watched) for \(starts.count) starts")

            // At most the live instance has a record; none once removed.
            #expect(h.recordFiles.count <= 1, "\(h.recordFiles)")
            #expect(await finishes(within: .seconds(30)) { await supervisor.remove(namespace: h.namespace, name: "crash") })
            #expect(h.recordFiles.isEmpty, "records left of ended instances: \(h.recordFiles)")
        }
    }

    @Test func anInstanceThatRanLongerThanResetAfterRestartsAtOnce() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            // Without the reset, the second crash in a row would wait 60 s.
            let spec: JSON = ["command": Self.sleep, "backoff": ["initial": "60s", "max": "60s", "resetAfter": "300ms"]]
            await supervisor.apply(try h.service("reset", spec))
            let first = try await h.waitForLive(supervisor, "reset", count: 1)[0]
            kill(first.handle!.pid, SIGKILL)
            // The first crash restarts at once.
            var second = first
            try await RuntimeTest.waitUntil("a second instance") {
                guard let live = await h.liveInstances(supervisor, "reset").first, live.id != first.id else { return false }
                second = live
                return true
            }
            var row = await h.currentStatus(supervisor, "reset")?.row(0)
            #expect(row?["restarts"]?.intValue == 1)
            #expect(row?["lastExit"]?["signal"]?.intValue == Int(SIGKILL))

            // It runs longer than resetAfter, then is killed: restarted at once, not in 60 s.
            try await RuntimeTest.waitUntil("the second instance ran 400ms") { nowMS() - second.startedAt >= 400 }
            kill(second.handle!.pid, SIGKILL)
            try await RuntimeTest.waitUntil("a third instance") {
                guard let live = await h.liveInstances(supervisor, "reset").first else { return false }
                return live.id != first.id && live.id != second.id
            }
            row = await h.currentStatus(supervisor, "reset")?.row(0)
            #expect(row?["restarts"]?.intValue == 2)
            #expect(row?["state"]?.stringValue == "RUNNING")
            #expect(await supervisor.supervision(namespace: h.namespace, name: "reset")?.slots[0]?.crashStreak == 1)
            #expect(!RuntimeTest.isRunning(first.handle!.pid) && !RuntimeTest.isRunning(second.handle!.pid))
        }
    }

    @Test func anHTTPCheckMakesTheInstanceReady() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            let spec: JSON = [
                "command": ["/bin/sh", "-c", .string("exec \(RuntimeTest.python3) -m http.server $PORT --bind 127.0.0.1")],
                "workingDir": .string(h.directory.path), "port": 0,
                "healthCheck": ["http": ["path": "/"], "interval": "200ms", "startPeriod": "30s"],
            ]
            await supervisor.apply(try h.service("http", spec))
            try await RuntimeTest.waitUntil("a ready status") {
                let last = await h.recorder.of("http").last
                return last?.status["readyInstances"]?.intValue == 1 && last?.row(0)?["ready"]?.boolValue == true
                    && last?.row(0)?["state"]?.stringValue == "RUNNING"
            }
            let status = await h.recorder.of("http").last!
            let port = try #require(status.row(0)?["port"]?.intValue)
            #expect(port > 0)
            #expect(status.row(0)?["lastCheck"]?["passed"]?.boolValue == true)
            #expect(status.status["conditions"]?[0]?["status"]?.stringValue == "True")
            #expect(status.row(0)?["restarts"]?.intValue == 0)
        }
    }

    @Test func anInstanceFailingItsExecCheckIsRestartedAsUnhealthy() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            let spec: JSON = [
                "command": Self.sleep,
                "healthCheck": ["exec": ["/bin/sh", "-c", "exit 1"], "failureThreshold": 2, "interval": "200ms"],
            ]
            await supervisor.apply(try h.service("sick", spec))
            let first = try await h.waitForLive(supervisor, "sick", count: 1)[0]
            try await RuntimeTest.waitUntil("a restart as Unhealthy") {
                let row = await h.currentStatus(supervisor, "sick")?.row(0)
                return (row?["restarts"]?.intValue ?? 0) >= 1 && row?["lastExit"]?["reason"]?.stringValue == "Unhealthy"
            }
            try await RuntimeTest.waitUntil("the unhealthy instance ended") { !RuntimeTest.isRunning(first.handle!.pid) }
            try await RuntimeTest.waitUntil("a status saying Unhealthy") {
                await h.recorder.of("sick").contains { $0.row(0)?["lastExit"]?["reason"]?.stringValue == "Unhealthy" }
            }
            let row = await h.recorder.of("sick").last(where: { $0.row(0)?["lastExit"]?["reason"]?.stringValue == "Unhealthy" })?.row(0)
            #expect(row?["ready"]?.boolValue == false)
            #expect(row?["lastExit"]?["signalName"]?.stringValue == "TERM")
        }
    }

    @Test(arguments: [true, false])
    func aHogOverItsMemoryLimitIsOOMKilled(useCgroups: Bool) async throws {
        try await withHarness { h in
            let runtime = ProcessRuntime(configuration: .init(useCgroups: useCgroups))
            let supervisor = h.startSupervisor(runtime: runtime).supervisor
            let spec: JSON = [
                "command": [.string(RuntimeTest.python3), "-c", .string(RuntimeMemoryTests.hog)], "memoryLimit": "50Mi",
                "restartPolicy": "never",
            ]
            await supervisor.apply(try h.service("hog", spec))
            try await RuntimeTest.waitUntil("the hog ended") {
                await h.currentStatus(supervisor, "hog")?.row(0)?["state"]?.stringValue == "FAILED"
            }
            let row = await h.currentStatus(supervisor, "hog")?.row(0)
            #expect(row?["lastExit"]?["reason"]?.stringValue == "OOMKilled")
            #expect(row?["lastExit"]?["signalName"]?.stringValue == "KILL")
            #expect(row?["reason"]?.stringValue == "OOMKilled")
            #expect(row?["message"]?.stringValue?.contains("memory limit of 50Mi") == true, "\(String(describing: row))")
            try await RuntimeTest.waitUntil("a status saying OOMKilled") {
                await h.recorder.of("hog").last?.row(0)?["lastExit"]?["reason"]?.stringValue == "OOMKilled"
            }
        }
    }

    @Test func removeKillsAnInstanceIgnoringSIGTERMAndItsChildren() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            let spec: JSON = [
                "command": ["/bin/sh", "-c", #"trap "" TERM; sleep 1000 & sleep 1000; wait"#], "stopTimeout": "500ms",
            ]
            await supervisor.apply(try h.service("stubborn", spec))
            let pid = try await h.waitForLive(supervisor, "stubborn", count: 1)[0].handle!.pid
            var kids: [Int32] = []
            try await RuntimeTest.waitUntil("the instance's two children") {
                kids = children(of: pid)
                return kids.count == 2
            }
            let removed = await finishes(within: .seconds(30)) {
                await supervisor.remove(namespace: h.namespace, name: "stubborn")
            }
            #expect(removed, "remove did not return")
            #expect(await supervisor.supervision(namespace: h.namespace, name: "stubborn") == nil)
            #expect(!RuntimeTest.isRunning(pid))
            try await RuntimeTest.waitUntil("the children ended") { kids.allSatisfy { !RuntimeTest.isRunning($0) } }
            #expect(h.recordFiles.isEmpty)
        }
    }

    @Test func disablingStopsEveryInstanceAndEnablingStartsThemAgain() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            var spec: JSON = ["command": Self.sleep, "replicas": 2]
            await supervisor.apply(try h.service("toggle", spec))
            let before = Set(try await h.waitForLive(supervisor, "toggle", count: 2).compactMap { $0.handle?.pid })

            spec["enabled"] = false
            await supervisor.apply(try h.service("toggle", generation: 2, spec))
            try await RuntimeTest.waitUntil("no instance") {
                await supervisor.supervision(namespace: h.namespace, name: "toggle")?.instances.isEmpty == true
            }
            try await RuntimeTest.waitUntil("the processes ended") { before.allSatisfy { !RuntimeTest.isRunning($0) } }
            try await RuntimeTest.waitUntil("a Disabled status") {
                let last = await h.recorder.of("toggle").last
                return last?.status["conditions"]?[0]?["reason"]?.stringValue == "Disabled"
                    && last?.status["runningInstances"]?.intValue == 0 && last?.status["observedGeneration"]?.intValue == 2
            }

            spec["enabled"] = true
            await supervisor.apply(try h.service("toggle", generation: 3, spec))
            let after = Set(try await h.waitForLive(supervisor, "toggle", count: 2).compactMap { $0.handle?.pid })
            #expect(after.count == 2 && after.isDisjoint(with: before))
            try await RuntimeTest.waitUntil("a status with 2 running") {
                await h.recorder.of("toggle").last?.status["runningInstances"]?.intValue == 2
            }
        }
    }

    @Test func aSpecChangeReplacesEveryInstanceKeepingThreeRunning() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            var spec: JSON = ["command": Self.sleep, "replicas": 3, "env": ["VERSION": "1"]]
            await supervisor.apply(try h.service("roll", spec))
            let old = try await h.waitForLive(supervisor, "roll", count: 3)
            let oldIDs = Set(old.map(\.id))
            let oldPIDs = Set(old.compactMap { $0.handle?.pid })

            spec["env"] = ["VERSION": "2"]
            await supervisor.apply(try h.service("roll", generation: 2, spec))
            var known = oldPIDs
            var fewest = Int.max
            var fewestProcesses = Int.max
            var samples = 0
            try await RuntimeTest.waitUntil("every instance replaced") {
                let all = await supervisor.supervision(namespace: h.namespace, name: "roll")?.instances ?? []
                // Serving: spawned, not asked to stop, process alive.
                let serving = all.filter { $0.state != .stopping && $0.handle.map { RuntimeTest.isRunning($0.pid) } == true }
                known.formUnion(all.compactMap { $0.handle?.pid })
                fewest = min(fewest, serving.count)
                fewestProcesses = min(fewestProcesses, known.filter(RuntimeTest.isRunning).count)
                samples += 1
                return all.count == 3 && serving.count == 3 && serving.allSatisfy { !oldIDs.contains($0.id) }
                    && oldPIDs.allSatisfy { !RuntimeTest.isRunning($0) }
            }
            #expect(fewest >= 3, "only \(fewest) instances served at one time (of \(samples) samples)")
            #expect(fewestProcesses >= 3)
            let new = try await h.waitForLive(supervisor, "roll", count: 3)
            for instance in new {
                #expect(environment(of: instance.handle!.pid)["VERSION"] == "2")
                #expect(instance.generation == 2)
            }
            #expect(Set(new.map(\.replica)) == [0, 1, 2])
        }
    }

    @Test func aNewSupervisorAdoptsTheRunningInstances() async throws {
        try await withHarness { h in
            let spec: JSON = ["command": Self.sleep, "replicas": 5]
            let first = h.startSupervisor()
            await first.supervisor.apply(try h.service("adopt", spec))
            let started = try await h.waitForLive(first.supervisor, "adopt", count: 5)
            let pids = Set(started.compactMap { $0.handle?.pid })
            try await RuntimeTest.waitUntil("5 records") { h.recordFiles.count == 5 }
            await first.cancelRun()
            #expect(pids.allSatisfy(RuntimeTest.isRunning), "the instances outlive the supervisor's run")

            // A new supervisor (and runtime) on the same directories adopts all 5.
            let second = h.startSupervisor()
            await second.supervisor.apply(try h.service("adopt", spec))
            let adopted = try await h.waitForLive(second.supervisor, "adopt", count: 5)
            #expect(Set(adopted.compactMap { $0.handle?.pid }) == pids)
            #expect(Set(adopted.map(\.id)) == Set(started.map(\.id)))
            // Nothing new was started: one log file per instance, 5 sleep processes.
            try await Task.sleep(for: .milliseconds(300))
            let logs = h.logsDirectory + "/\(h.namespace)/adopt"
            let logFiles = (0..<5).flatMap { (try? FileManager.default.contentsOfDirectory(atPath: "\(logs)/\($0)")) ?? [] }
            #expect(logFiles.count == 5)
            #expect(Set(h.processes(service: "adopt")) == pids)
            #expect(Set(await h.liveInstances(second.supervisor, "adopt").compactMap { $0.handle?.pid }) == pids)

            // One is killed while no supervisor runs: its record is dropped, its replica restarted.
            await second.cancelRun()
            let victim = started.first { $0.replica == 2 }!
            kill(victim.handle!.pid, SIGKILL)
            try await RuntimeTest.waitUntil("the killed instance ended") { !RuntimeTest.isRunning(victim.handle!.pid) }
            let third = h.startSupervisor()
            await third.supervisor.apply(try h.service("adopt", spec))
            let now = try await h.waitForLive(third.supervisor, "adopt", count: 5)
            let replacement = try #require(now.first { $0.replica == 2 })
            #expect(replacement.id != victim.id && replacement.handle?.pid != victim.handle?.pid)
            #expect(Set(now.compactMap { $0.handle?.pid }) == pids.subtracting([victim.handle!.pid]).union([replacement.handle!.pid]))
            #expect(!h.recordFiles.contains { $0.contains(victim.id) })

            // Removing stops them.
            let removed = await finishes(within: .seconds(30)) {
                await third.supervisor.remove(namespace: h.namespace, name: "adopt")
            }
            #expect(removed)
            try await RuntimeTest.waitUntil("every instance ended") { h.processes(service: "adopt").isEmpty }
            #expect(h.recordFiles.isEmpty)
        }
    }

    @Test func aDesiredStateAppliedBeforeRunWaitsForTheAdoption() async throws {
        try await withHarness { h in
            let spec: JSON = ["command": Self.sleep, "replicas": 2]
            let first = h.startSupervisor()
            await first.supervisor.apply(try h.service("early", spec))
            let pids = Set(try await h.waitForLive(first.supervisor, "early", count: 2).compactMap { $0.handle?.pid })
            try await RuntimeTest.waitUntil("2 records") { h.recordFiles.count == 2 }
            await first.cancelRun()

            // Applied before run(): held, nothing starts.
            let second = h.makeSupervisor()
            await second.apply(try h.service("early", spec))
            #expect(await second.supervision(namespace: h.namespace, name: "early") == nil)
            try await Task.sleep(for: .milliseconds(200))
            #expect(Set(h.processes(service: "early")) == pids)

            // run() adopts the two, then applies the held state: no new instance.
            _ = h.run(second)
            let adopted = try await h.waitForLive(second, "early", count: 2)
            #expect(Set(adopted.compactMap { $0.handle?.pid }) == pids)
            try await RuntimeTest.waitUntil("a status of the adopted instances") {
                await h.recorder.of("early").last?.status["runningInstances"]?.intValue == 2
            }
            #expect(Set(h.processes(service: "early")) == pids)
            // The service no longer exists: reconcileKnown stops its adopted instances.
            let reconciled = await finishes(within: .seconds(30)) {
                await second.reconcileKnown(namespace: h.namespace, names: [])
            }
            #expect(reconciled)
            try await RuntimeTest.waitUntil("the orphans ended") { h.processes(service: "early").isEmpty }
        }
    }

    @Test func aCommandOrDirectoryThatDoesNotExistFailsTheReplicaOnce() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            await supervisor.apply(try h.service("steady", ["command": Self.sleep]))
            let steady = try await h.waitForLive(supervisor, "steady", count: 1)[0].handle!.pid

            let missingCommand = "/no/such/program-\(UInt32.random(in: 0...UInt32.max))"
            let missingDirectory = "/no/such/directory-\(UInt32.random(in: 0...UInt32.max))"
            await supervisor.apply(try h.service("nocommand", ["command": [.string(missingCommand), "x"]]))
            await supervisor.apply(try h.service("nodir", ["command": Self.sleep, "workingDir": .string(missingDirectory)]))
            for (name, missing) in [("nocommand", missingCommand), ("nodir", missingDirectory)] {
                try await RuntimeTest.waitUntil("\(name) failed") {
                    await h.recorder.of(name).last?.row(0)?["state"]?.stringValue == "FAILED"
                }
                let row = await h.recorder.of(name).last!.row(0)
                #expect(row?["reason"]?.stringValue == "StartError")
                #expect(row?["message"]?.stringValue?.contains(missing) == true, "\(String(describing: row))")
                #expect(row?["pid"]?.isNull == true)
            }
            // No second attempt: each start opens its log first, and there is one each.
            try await Task.sleep(for: .seconds(2))
            for name in ["nocommand", "nodir"] {
                let logs = (try? FileManager.default.contentsOfDirectory(atPath: h.logsDirectory + "/\(h.namespace)/\(name)/0")) ?? []
                #expect(logs.count == 1, "\(name): \(logs)")
                #expect(await h.currentStatus(supervisor, name)?.row(0)?["state"]?.stringValue == "FAILED")
                #expect(await supervisor.supervision(namespace: h.namespace, name: name)?.instances.isEmpty == true)
            }
            #expect(RuntimeTest.isRunning(steady))
            #expect(await h.liveInstances(supervisor, "steady").map { $0.handle?.pid } == [steady])
        }
    }

    @Test func theInstanceLogsToItsFileWithItsEnvironment() async throws {
        try await withHarness { h in
            let supervisor = h.startSupervisor().supervisor
            let spec: JSON = [
                "command": ["/bin/sh", "-c", "env; echo to-stderr >&2; exec sleep 1000"], "port": 0,
                "env": ["GREETING": "hello world", "EMPTY": ""],
            ]
            await supervisor.apply(try h.service("envy", spec))
            let instance = try await h.waitForLive(supervisor, "envy", count: 1)[0]
            let log = "\(h.logsDirectory)/\(h.namespace)/envy/0/\(instance.id).log"
            var text = ""
            try await RuntimeTest.waitUntil("the log") {
                text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                return text.contains("to-stderr")
            }
            let lines = Set(text.split(separator: "\n").map(String.init))
            let port = try #require(instance.port)
            #expect(port > 0)
            for expected in [
                "STEWARD_NAMESPACE=\(h.namespace)", "STEWARD_SERVICE=envy", "STEWARD_INSTANCE=\(instance.id)",
                "STEWARD_REPLICA=0", "STEWARD_NODE=test-node", "PORT=\(port)", "CONTEXT_ROOT=/\(h.namespace)-envy",
                "GREETING=hello world", "EMPTY=",
            ] {
                #expect(lines.contains(expected), "\(expected) is not in the environment")
            }
            #expect(lines.contains { $0.hasPrefix("PATH=") })
            #expect(await h.currentStatus(supervisor, "envy")?.row(0)?["port"]?.intValue == port)
        }
    }
}
