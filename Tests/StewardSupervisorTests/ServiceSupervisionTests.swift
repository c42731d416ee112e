import JSONSchema
import StewardCore
import Testing

@testable import StewardSupervisor

/// The supervision core, driven by events and a hand-moved clock: no processes, no sleeping.
@Suite("Supervision core: scale, restart, backoff, health, rolling replacement")
struct ServiceSupervisionTests {
    /// A supervision of service `web` with a clock and a fake pid counter.
    struct Harness {
        var supervision = ServiceSupervision(namespace: "default", name: "web")
        var now: Int64 = 1_000_000
        var nextPID: Int32 = 100
        var spec: ProcessDeploymentSpec
        var generation = 1
        var restartToken: String?

        init(_ configure: (inout ProcessDeploymentSpec) -> Void = { _ in }) {
            var spec = ProcessDeploymentSpec(command: ["/bin/sleep", "1000"])
            configure(&spec)
            self.spec = spec
        }

        var desired: DesiredService {
            var instanceSpec = spec
            instanceSpec.replicas = 0
            instanceSpec.enabled = true
            return DesiredService(
                namespace: "default", name: "web", uid: "u", generation: generation, spec: spec,
                template: "\(instanceSpec.hashValue)-\(restartToken ?? "")")
        }

        mutating func apply() -> [SupervisionAction] { supervision.setDesired(desired, now: now) }

        /// Carries out start actions at once (each spawns), returning the other actions.
        mutating func spawn(_ actions: [SupervisionAction]) -> [SupervisionAction] {
            var rest: [SupervisionAction] = []
            var queue = actions
            while !queue.isEmpty {
                let action = queue.removeFirst()
                if case .start(let id, _, let port, _) = action {
                    nextPID += 1
                    queue += supervision.started(
                        id, handle: InstanceHandle(instanceID: id, pid: nextPID, startTime: 1), port: port, now: now)
                } else {
                    rest.append(action)
                }
            }
            return rest
        }

        func live() -> [SupervisedInstance] { supervision.instances.filter { $0.state != .stopping } }
        func id(replica: Int) -> String { live().first { $0.replica == replica }!.id }

        mutating func exit(_ id: String, _ exit: InstanceExit, oom: Bool = false) -> [SupervisionAction] {
            supervision.terminated(id, exit: exit, oomKilled: oom, now: now)
        }

        mutating func advance(_ ms: Int64) -> [SupervisionAction] {
            now += ms
            return supervision.tick(now: now)
        }

        func row(_ replica: Int) -> JSON {
            supervision.status(node: "n1", now: now)["instances"]!.arrayValue!.first { $0["replica"]?.intValue == replica }!
        }
    }

    static func starts(_ actions: [SupervisionAction]) -> [Int] {
        actions.compactMap { if case .start(_, let replica, _, _) = $0 { return replica } else { return nil } }
    }

    static func signals(_ actions: [SupervisionAction]) -> [Int32] {
        actions.compactMap { if case .signal(_, let signal) = $0 { return signal } else { return nil } }
    }

    @Test func scalesOneToThreeToZeroHighestReplicaFirstInStatus() {
        var h = Harness()
        let first = h.apply()
        #expect(Self.starts(first) == [0])
        _ = h.spawn(first)
        h.spec.replicas = 3
        let up = h.apply()
        #expect(Self.starts(up).sorted() == [1, 2])
        _ = h.spawn(up)
        #expect(h.live().count == 3)
        let status = h.supervision.status(node: "n1", now: h.now)
        #expect(status["runningInstances"]?.intValue == 3)
        #expect(status["readyInstances"]?.intValue == 3)
        #expect(status["conditions"]?[0]?["status"]?.stringValue == "True")
        h.spec.replicas = 0
        let down = h.apply()
        #expect(Self.signals(down) == [15, 15, 15])
        #expect(h.supervision.instances.allSatisfy { $0.state == .stopping && $0.stopReason == "ScaledDown" })
        for instance in h.supervision.instances { _ = h.exit(instance.id, .signaled(signal: 15)) }
        #expect(h.supervision.isEmpty)
        #expect(h.supervision.slots.isEmpty)
    }

    @Test func aCrashAfterResetAfterRestartsAtOnceAndQuickCrashesBackOffExponentially() {
        var h = Harness()
        _ = h.spawn(h.apply())
        _ = h.advance(10_000)  // ran for resetAfter (10 s)
        let first = h.exit(h.id(replica: 0), .exited(code: 1))
        #expect(Self.starts(first) == [0], "a replica that ran past resetAfter restarts at once")
        _ = h.spawn(first)
        // Quick crashes: 100 ms, 200 ms, 400 ms.
        for expected: Int64 in [100, 200, 400] {
            let crash = h.exit(h.id(replica: 0), .exited(code: 1))
            #expect(Self.starts(crash).isEmpty)
            #expect(h.row(0)["state"]?.stringValue == "BACKOFF")
            #expect(h.row(0)["reason"]?.stringValue == "CrashLoopBackOff")
            #expect(h.row(0)["lastExit"]?["code"]?.intValue == 1)
            #expect(h.row(0)["nextRestartAt"]?.stringValue != nil)
            #expect(h.supervision.nextDeadline == h.now + expected)
            #expect(Self.starts(h.advance(expected - 1)).isEmpty)
            _ = h.spawn(h.advance(1))
            #expect(h.live().count == 1)
        }
        #expect(h.row(0)["restarts"]?.intValue == 4)
        // A clean run past resetAfter starts the delays over.
        _ = h.advance(10_000)
        #expect(Self.starts(h.exit(h.id(replica: 0), .signaled(signal: 9))) == [0])
    }

    @Test func theBackoffIsCappedAtMax() {
        var h = Harness { $0.backoff.max = .milliseconds(300) }
        _ = h.spawn(h.apply())
        for _ in 0..<6 {
            _ = h.exit(h.id(replica: 0), .exited(code: 2))
            if let deadline = h.supervision.nextDeadline { #expect(deadline - h.now <= 300) }
            _ = h.spawn(h.advance(300))
        }
    }

    @Test(arguments: [
        (ProcessDeploymentSpec.RestartPolicy.never, InstanceExit.exited(code: 0), "STOPPED"),
        (.never, .exited(code: 3), "FAILED"),
        (.onFailure, .exited(code: 0), "STOPPED"),
        (.onFailure, .signaled(signal: 9), nil),
        (.always, .exited(code: 0), nil),
    ] as [(ProcessDeploymentSpec.RestartPolicy, InstanceExit, String?)])
    func theRestartPolicyDecides(policy: ProcessDeploymentSpec.RestartPolicy, exit: InstanceExit, endState: String?) {
        var h = Harness { $0.restartPolicy = policy }
        _ = h.spawn(h.apply())
        _ = h.advance(20_000)
        let actions = h.exit(h.id(replica: 0), exit)
        if let endState {
            #expect(Self.starts(actions).isEmpty)
            #expect(h.row(0)["state"]?.stringValue == endState)
            #expect(Self.starts(h.advance(600_000)).isEmpty, "an ended replica is never retried by time alone")
        } else {
            #expect(Self.starts(actions) == [0])
        }
    }

    @Test func stoppingSendsTheStopSignalThenSIGKILLAfterTheTimeout() {
        var h = Harness {
            $0.stopSignal = 2
            $0.stopTimeout = .seconds(3)
        }
        _ = h.spawn(h.apply())
        h.spec.enabled = false
        #expect(Self.signals(h.apply()) == [2])
        #expect(h.supervision.nextDeadline == h.now + 3000)
        #expect(Self.signals(h.advance(2999)).isEmpty)
        #expect(Self.signals(h.advance(1)) == [9])
        #expect(Self.signals(h.advance(5000)).isEmpty, "SIGKILL goes once")
        _ = h.exit(h.supervision.instances[0].id, .signaled(signal: 9))
        let status = h.supervision.status(node: "n1", now: h.now)
        #expect(status["totalInstances"]?.intValue == 0)
        #expect(status["conditions"]?[0]?["reason"]?.stringValue == "Disabled")
        h.spec.enabled = true
        #expect(Self.starts(h.apply()) == [0], "enabled again: it runs again")
    }

    @Test func aFailingHealthCheckRestartsAfterTheThresholdAndReadinessFollowsTheCheck() {
        var h = Harness {
            $0.healthCheck = HealthCheckSpec(
                probe: .tcp(port: nil), interval: .seconds(1), failureThreshold: 3, startPeriod: .seconds(2))
        }
        _ = h.spawn(h.apply())
        let id = h.id(replica: 0)
        #expect(h.row(0)["state"]?.stringValue == "STARTING")
        #expect(h.row(0)["ready"]?.boolValue == false)
        let probes = h.advance(500)
        #expect(probes == [.probe(instanceID: id)])
        _ = h.supervision.healthResult(id, passed: true, message: "connected", now: h.now)
        #expect(h.row(0)["state"]?.stringValue == "RUNNING")
        #expect(h.row(0)["ready"]?.boolValue == true)
        // Failures inside the start period do not count; after it, three in a row restart.
        _ = h.advance(1000)
        _ = h.supervision.healthResult(id, passed: false, message: "refused", now: h.now)
        #expect(h.row(0)["ready"]?.boolValue == false)
        #expect(h.supervision.instance(id)?.consecutiveFailures == 0)
        var last: [SupervisionAction] = []
        for _ in 0..<3 {
            _ = h.advance(1000)
            last = h.supervision.healthResult(id, passed: false, message: "refused", now: h.now)
        }
        #expect(Self.signals(last) == [15])
        #expect(h.supervision.instance(id)?.stopReason == "Unhealthy")
        let restart = h.exit(id, .signaled(signal: 15))
        #expect(Self.starts(restart) == [0])
        #expect(h.row(0)["restarts"]?.intValue == 1)
        #expect(h.row(0)["lastExit"]?["reason"]?.stringValue == "Unhealthy")
    }

    @Test func aSpecChangeReplacesOneReplicaAtATimeNewBeforeOld() {
        var h = Harness {
            $0.replicas = 3
            $0.healthCheck = HealthCheckSpec(probe: .tcp(port: nil), interval: .seconds(1))
        }
        var pending = h.spawn(h.apply())
        for instance in h.live() { pending += h.supervision.healthResult(instance.id, passed: true, message: "ok", now: h.now) }
        let old = Set(h.live().map(\.id))
        h.spec.env = ["VERSION": "2"]
        h.generation = 2
        let rollout = h.apply()
        #expect(Self.starts(rollout) == [0], "one replica at a time")
        _ = h.spawn(rollout)
        var replaced = 0
        while replaced < 3 {
            // At every step at least `replicas` instances run.
            #expect(h.live().filter { $0.state == .running || $0.state == .starting }.count >= 3)
            guard let fresh = h.live().first(where: { !old.contains($0.id) && !$0.ready }) else { break }
            let actions = h.supervision.healthResult(fresh.id, passed: true, message: "ok", now: h.now)
            #expect(Self.signals(actions) == [15], "the old instance stops once the new one is healthy")
            let stopped = h.supervision.instances.first { $0.state == .stopping }!
            #expect(old.contains(stopped.id))
            _ = h.spawn(actions)
            _ = h.spawn(h.exit(stopped.id, .signaled(signal: 15)))
            replaced += 1
        }
        #expect(replaced == 3)
        #expect(h.live().count == 3)
        #expect(h.live().allSatisfy { !old.contains($0.id) })
        #expect(h.supervision.status(node: "n1", now: h.now)["conditions"]?[0]?["status"]?.stringValue == "True")
    }

    @Test func aStartErrorFailsTheReplicaWithoutATightLoopUntilTheSpecChanges() {
        var h = Harness()
        let start = h.apply()
        guard case .start(let id, _, _, _) = start.first else {
            Issue.record("no start")
            return
        }
        _ = h.supervision.startFailed(id, message: "/no/such: no such file or directory", now: h.now)
        #expect(h.row(0)["state"]?.stringValue == "FAILED")
        #expect(h.row(0)["reason"]?.stringValue == "StartError")
        #expect(h.row(0)["message"]?.stringValue == "/no/such: no such file or directory")
        #expect(Self.starts(h.advance(60_000)).isEmpty)
        #expect(h.supervision.nextDeadline == nil)
        h.spec.command = ["/bin/sleep", "5"]
        #expect(Self.starts(h.apply()) == [0])
    }

    @Test func anOOMKillIsReportedAsOOMKilled() {
        var h = Harness { $0.memoryLimit = 50 * 1_048_576 }
        _ = h.spawn(h.apply())
        _ = h.advance(20_000)
        _ = h.spawn(h.exit(h.id(replica: 0), .signaled(signal: 9), oom: true))
        #expect(h.row(0)["lastExit"]?["reason"]?.stringValue == "OOMKilled")
        _ = h.exit(h.id(replica: 0), .signaled(signal: 9), oom: true)
        #expect(h.row(0)["reason"]?.stringValue == "CrashLoopBackOff")
        #expect(h.row(0)["message"]?.stringValue?.contains("OOMKilled") == true)
        #expect(h.row(0)["message"]?.stringValue?.contains("50Mi") == true)
    }

    @Test func adoptedInstancesWaitForTheirServiceAndDuplicatesOfAReplicaGo() {
        var supervision = ServiceSupervision(namespace: "default", name: "web")
        let spec = ProcessDeploymentSpec(command: ["/bin/sleep", "1000"])
        let desired = DesiredService(namespace: "default", name: "web", uid: "u", generation: 1, spec: spec, template: "t1")
        for (i, id) in ["web-0-000000000001", "web-0-000000000002"].enumerated() {
            var instance = SupervisedInstance(
                id: id, replica: 0, template: "t1", generation: 1, state: .running,
                handle: InstanceHandle(instanceID: id, pid: Int32(10 + i), startTime: 1), port: nil, startedAt: 1)
            instance.ready = true
            supervision.adopt(instance)
        }
        let actions = supervision.setDesired(desired, now: 5)
        #expect(actions == [.signal(instanceID: "web-0-000000000001", signal: 15)], "the newest of two is kept")
        #expect(ServiceSupervisionTests.starts(actions).isEmpty, "an adopted instance of the template is not started again")
    }

    @Test func instanceIDsAreOrderedWithinAMillisecond() {
        var h = Harness()
        _ = h.spawn(h.apply())
        var ids = [h.id(replica: 0)]
        for _ in 0..<3 {
            _ = h.advance(20_000)
            let actions = h.exit(h.id(replica: 0), .exited(code: 0))
            _ = h.spawn(actions)
            ids.append(h.id(replica: 0))
        }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("web-0-") && $0.count == "web-0-".count + 12 })
    }
}
