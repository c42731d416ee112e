import StewardCore

/// The supervision of one service on one node: a pure state machine.
///
/// Events (a new desired state, an instance spawned or not, an instance ended, a health check's
/// result, time passing) go in as `mutating` methods that take the time (`now`, unix
/// milliseconds) and return the ``SupervisionAction``s for the shell to carry out. Nothing here
/// spawns, sleeps or reads a clock, so every decision is tested without processes or waiting.
///
/// The rules:
/// - Replicas `0..<replicas` each get one instance (none when `enabled` is false); replicas
///   above are stopped, highest index first in status order (all at once: they are unwanted).
/// - An instance of an older template (the spec or the restart token changed) is replaced one
///   replica at a time: the new instance starts, and the old one is stopped once the new one
///   runs (and, with a health check, passed it). With a fixed `port` the old one stops first,
///   since both cannot listen on it.
/// - An instance that ends on its own is restarted by ``RestartDecision``; one that fails its
///   health check `failureThreshold` times in a row after `startPeriod` is stopped and restarted
///   the same way (reason `Unhealthy`).
/// - Stopping sends `stopSignal` and, after `stopTimeout`, `SIGKILL` to the process group.
public struct ServiceSupervision: Sendable {
    public let namespace: String
    public let name: String
    /// The desired state; nil until it is known (adopted instances wait for it).
    public private(set) var desired: DesiredService?
    /// The service is removed: every instance stops.
    public private(set) var removing = false
    public private(set) var slots: [Int: ReplicaSlot] = [:]
    /// Something status shows changed since ``markReported()``.
    public private(set) var changed = true

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    // MARK: events

    /// An instance found running from an earlier run of the supervisor (it keeps its id).
    public mutating func adopt(_ instance: SupervisedInstance, restarts: Int = 0) {
        var slot = slots[instance.replica] ?? ReplicaSlot(index: instance.replica)
        slot.instances.append(instance)
        slot.instances.sort { $0.id < $1.id }
        slot.restarts = max(slot.restarts, restarts)
        slot.lastStartMS = max(slot.lastStartMS, instance.startedAt)
        slots[instance.replica] = slot
        changed = true
    }

    /// The service's desired state (created, changed or resynced).
    public mutating func setDesired(_ service: DesiredService, now: Int64) -> [SupervisionAction] {
        if desired != service {
            desired = service
            changed = true
        }
        removing = false
        return reconcile(now: now)
    }

    /// The service was removed: stop everything.
    public mutating func remove(now: Int64) -> [SupervisionAction] {
        removing = true
        changed = true
        return reconcile(now: now)
    }

    /// Instance `id` was spawned.
    public mutating func started(_ id: String, handle: InstanceHandle, port: Int?, now: Int64) -> [SupervisionAction] {
        guard let found = find(id) else { return [] }
        var (slot, i) = found
        var instance = slot.instances[i]
        instance.handle = handle
        instance.port = port
        instance.startedAt = now
        var actions: [SupervisionAction] = []
        if instance.state == .stopping {
            // Stopped while it was being spawned: the signal goes out now that it exists.
            actions.append(.signal(instanceID: id, signal: desired?.spec.stopSignal ?? 15))
        } else if let check = desired?.spec.healthCheck, instance.template == desired?.template {
            instance.state = .starting
            instance.ready = false
            instance.nextProbeAt = now + Self.firstProbeDelay(check)
        } else {
            instance.state = .running
            instance.ready = true
        }
        slot.instances[i] = instance
        if slot.reason == "StartError" || slot.backoffUntil.map({ $0 <= now }) == true {
            slot.backoffUntil = nil
        }
        slots[slot.index] = slot
        changed = true
        return actions + reconcile(now: now)
    }

    /// Instance `id` could not be spawned: the replica fails with `StartError` and is not
    /// retried until the spec (or restart token) changes or the next resync.
    public mutating func startFailed(_ id: String, message: String, now: Int64) -> [SupervisionAction] {
        guard let found = find(id) else { return [] }
        var (slot, i) = found
        let instance = slot.instances.remove(at: i)
        slot.reason = "StartError"
        slot.message = message
        slot.ended = (.failed, instance.template)
        slots[slot.index] = slot
        changed = true
        return reconcile(now: now)
    }

    /// Instance `id` ended.
    public mutating func terminated(_ id: String, exit: InstanceExit, oomKilled: Bool, now: Int64) -> [SupervisionAction] {
        guard let found = find(id) else { return [] }
        var (slot, i) = found
        let instance = slot.instances.remove(at: i)
        slot.lastExit = exit
        slot.lastExitAt = now
        let unhealthy = instance.stopReason == "Unhealthy"
        if instance.state != .stopping || unhealthy, let desired, !removing, instance.template == desired.template {
            let (decision, streak) = RestartDecision.decide(
                spec: desired.spec, exit: unhealthy ? .exited(code: 1) : exit, oomKilled: oomKilled,
                ranFor: .milliseconds(now - instance.startedAt), crashStreak: slot.crashStreak)
            slot.crashStreak = streak
            let cause = unhealthy ? "Unhealthy" : (oomKilled ? "OOMKilled" : nil)
            let what = Self.describe(exit, oomKilled: oomKilled, limit: desired.spec.memoryLimit)
            switch decision {
            case .restart(let delay, let reason):
                slot.restarts += 1
                slot.backoffUntil = delay > .zero ? now + delay.milliseconds : nil
                slot.reason = delay > .zero ? reason : (cause ?? reason)
                slot.message = delay > .zero ? "\(cause.map { "\($0): " } ?? "")\(what); restarting in \(Self.format(delay))" : what
            case .end(let state, let reason):
                slot.ended = (state, instance.template)
                slot.reason = cause ?? reason
                slot.message = what
            }
        } else if oomKilled {
            slot.reason = "OOMKilled"
            slot.message = Self.describe(exit, oomKilled: true, limit: desired?.spec.memoryLimit)
        }
        slot.lastTermination =
            unhealthy
            ? "Unhealthy"
            : oomKilled ? "OOMKilled" : instance.state == .stopping ? (instance.stopReason ?? "Stopped") : exit.isSuccess ? "Completed" : "Error"
        slots[slot.index] = slot
        changed = true
        return reconcile(now: now)
    }

    /// A health check of instance `id` finished.
    public mutating func healthResult(_ id: String, passed: Bool, message: String, now: Int64) -> [SupervisionAction] {
        guard let found = find(id), let check = desired?.spec.healthCheck else { return [] }
        var (slot, i) = found
        var instance = slot.instances[i]
        instance.probeInFlight = false
        instance.lastCheck = .init(passed: passed, message: message, at: now)
        var actions: [SupervisionAction] = []
        if passed {
            if !instance.ready { changed = true }
            instance.consecutiveFailures = 0
            instance.ready = instance.state != .stopping
            instance.everHealthy = true
            if instance.state == .starting {
                instance.state = .running
                changed = true
            }
        } else {
            if instance.ready { changed = true }
            instance.ready = false
            if now - instance.startedAt >= check.startPeriod.milliseconds {
                instance.consecutiveFailures += 1
            }
            if instance.consecutiveFailures >= check.failureThreshold, instance.state != .stopping {
                slot.instances[i] = instance
                slots[slot.index] = slot
                actions += stop(id, reason: "Unhealthy", now: now)
                changed = true
                return actions + reconcile(now: now)
            }
        }
        instance.nextProbeAt = now + (instance.everHealthy ? check.interval.milliseconds : Self.firstProbeDelay(check))
        slot.instances[i] = instance
        slots[slot.index] = slot
        return actions + reconcile(now: now)
    }

    /// Time passed (a deadline of ``nextDeadline`` came).
    public mutating func tick(now: Int64) -> [SupervisionAction] {
        reconcile(now: now)
    }

    /// Status was written: ``changed`` is false until something changes again.
    public mutating func markReported() { changed = false }

    // MARK: queries

    /// The earliest time at which ``tick(now:)`` has something to do.
    public var nextDeadline: Int64? {
        var deadline: Int64?
        func consider(_ t: Int64?) {
            if let t { deadline = min(deadline ?? t, t) }
        }
        for slot in slots.values {
            if slot.instances.allSatisfy({ $0.state == .stopping }) { consider(slot.backoffUntil) }
            for instance in slot.instances {
                if instance.state == .stopping, !instance.killed { consider(instance.killAt) }
                if instance.isLive, instance.state != .stopping, !instance.probeInFlight { consider(instance.nextProbeAt) }
            }
        }
        return deadline
    }

    /// No instance lives: after ``remove(now:)``, the service is gone from this node.
    public var isEmpty: Bool { slots.values.allSatisfy { $0.instances.isEmpty } }

    /// Every live instance.
    public var instances: [SupervisedInstance] {
        slots.keys.sorted().flatMap { slots[$0]!.instances }
    }

    /// The instance with `id`.
    public func instance(_ id: String) -> SupervisedInstance? {
        find(id).map { $0.0.instances[$0.1] }
    }

    // MARK: the rules

    private func find(_ id: String) -> (ReplicaSlot, Int)? {
        for slot in slots.values {
            if let i = slot.instances.firstIndex(where: { $0.id == id }) { return (slot, i) }
        }
        return nil
    }

    private mutating func reconcile(now: Int64) -> [SupervisionAction] {
        var actions: [SupervisionAction] = []
        // Stops that outlived their timeout: SIGKILL to the group.
        for (index, var slot) in slots {
            for i in slot.instances.indices where slot.instances[i].state == .stopping && !slot.instances[i].killed {
                if let killAt = slot.instances[i].killAt, killAt <= now, slot.instances[i].handle != nil {
                    slot.instances[i].killed = true
                    actions.append(.signal(instanceID: slot.instances[i].id, signal: 9))
                }
            }
            slots[index] = slot
        }
        guard let desired else { return actions }
        let wanted = removing ? 0 : desired.wantedReplicas
        let why = removing ? "Removed" : (desired.spec.enabled ? "ScaledDown" : "Disabled")
        // Replicas no longer wanted: stop them; forget them once nothing of them lives.
        for index in slots.keys.sorted(by: >) where index >= wanted {
            for instance in slots[index]!.instances where instance.state != .stopping {
                actions += stop(instance.id, reason: why, now: now)
            }
            if slots[index]!.instances.isEmpty { slots[index] = nil }
        }
        let fixedPort = (desired.spec.port ?? 0) > 0
        var replacing = slots.values.filter { slot in
            let live = slot.instances.filter { $0.state != .stopping }
            let hasOld = live.contains { $0.template != desired.template }
            let hasCurrent = live.contains { $0.template == desired.template }
            let oldStopping = slot.instances.contains { $0.state == .stopping && $0.stopReason == "Replaced" }
            return (hasOld && hasCurrent) || (oldStopping && !hasCurrent)
        }.count
        for index in 0..<wanted {
            var slot = slots[index] ?? ReplicaSlot(index: index)
            if slot.ended != nil, slot.ended?.template != desired.template {
                slot.ended = nil
                slot.reason = nil
                slot.message = nil
            }
            let live = slot.instances.filter { $0.state != .stopping }
            let current = live.filter { $0.template == desired.template }
            let old = live.filter { $0.template != desired.template }
            if let newest = current.last {
                // Two of the same template (two adopted): keep the newest.
                for extra in current.dropLast() { actions += stop(extra.id, reason: "Duplicate", now: now, in: &slot) }
                if newest.state == .running, newest.ready || desired.spec.healthCheck == nil {
                    for instance in old { actions += stop(instance.id, reason: "Replaced", now: now, in: &slot) }
                }
            } else if slot.ended == nil, slot.backoffUntil.map({ $0 <= now }) ?? true {
                // An instance stopped for failing its check is restarted once it has ended (the
                // restart policy decides then); with a fixed port, no two may listen at once.
                let stopping = slot.instances.contains { $0.state == .stopping && (fixedPort || $0.stopReason == "Unhealthy") }
                if !old.isEmpty {
                    if replacing == 0 {
                        replacing += 1
                        if fixedPort {
                            for instance in old { actions += stop(instance.id, reason: "Replaced", now: now, in: &slot) }
                        } else {
                            actions.append(start(in: &slot, desired: desired, now: now))
                        }
                    }
                } else if !stopping {
                    actions.append(start(in: &slot, desired: desired, now: now))
                }
            }
            // Health checks that are due.
            if desired.spec.healthCheck != nil {
                for i in slot.instances.indices {
                    let instance = slot.instances[i]
                    // An adopted instance has no probe scheduled yet: it is checked at once.
                    guard instance.state == .starting || instance.state == .running, instance.handle != nil,
                        !instance.probeInFlight, (instance.nextProbeAt ?? now) <= now
                    else { continue }
                    slot.instances[i].probeInFlight = true
                    actions.append(.probe(instanceID: instance.id))
                }
            }
            slots[index] = slot
        }
        return actions
    }

    private mutating func start(in slot: inout ReplicaSlot, desired: DesiredService, now: Int64) -> SupervisionAction {
        let ms = max(now, slot.lastStartMS + 1)
        slot.lastStartMS = ms
        let hex = String(ms, radix: 16)
        let id = "\(name)-\(slot.index)-\(String(repeating: "0", count: max(0, 12 - hex.count)))\(hex)"
        slot.backoffUntil = nil
        slot.instances.append(
            SupervisedInstance(
                id: id, replica: slot.index, template: desired.template, generation: desired.generation, state: .starting,
                handle: nil, port: nil, startedAt: now))
        changed = true
        let port = desired.spec.port
        return .start(instanceID: id, replica: slot.index, port: port == 0 ? nil : port, pickPort: port == 0)
    }

    private mutating func stop(_ id: String, reason: String, now: Int64) -> [SupervisionAction] {
        guard var slot = find(id)?.0 else { return [] }
        let actions = stop(id, reason: reason, now: now, in: &slot)
        slots[slot.index] = slot
        return actions
    }

    private mutating func stop(_ id: String, reason: String, now: Int64, in slot: inout ReplicaSlot) -> [SupervisionAction] {
        guard let i = slot.instances.firstIndex(where: { $0.id == id }), slot.instances[i].state != .stopping else { return [] }
        let spec = desired?.spec
        slot.instances[i].state = .stopping
        slot.instances[i].ready = false
        slot.instances[i].stopReason = reason
        slot.instances[i].killAt = now + (spec?.stopTimeout ?? .seconds(10)).milliseconds
        changed = true
        // Not spawned yet: the signal goes out from `started`.
        guard slot.instances[i].handle != nil else { return [] }
        return [.signal(instanceID: id, signal: spec?.stopSignal ?? 15)]
    }

    static func firstProbeDelay(_ check: HealthCheckSpec) -> Int64 {
        min(check.interval.milliseconds, 500)
    }

    /// `exited with status 1`, `killed by signal 9 (KILL)`, with the memory limit when OOM.
    static func describe(_ exit: InstanceExit, oomKilled: Bool, limit: Int64?) -> String {
        let text: String
        switch exit {
        case .exited(let code): text = "exited with status \(code)"
        case .signaled(let signal): text = "killed by signal \(signal) (\(SpecValues.signalName(signal)))"
        case .unknown: text = "ended (exit status unknown: the instance was adopted after a restart of Steward)"
        }
        guard oomKilled else { return text }
        return text + ", over its memory limit" + (limit.map { " of \(SpecValues.formatMemory($0))" } ?? "")
    }

    static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        if ms < 1000 { return "\(ms)ms" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(Double(ms) / 1000)s"
    }
}
