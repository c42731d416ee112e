import Foundation
import JSONSchema
import Logging
import StewardCore

/// The supervisor of one node: the shell around the services' ``ServiceSupervision`` state
/// machines. It feeds them events (desired states, exits from the runtime, health results, its
/// clock), carries out their actions through an ``InstanceRuntime``, keeps the instance records
/// that adoption needs, and writes each service's status, coalesced.
public actor NodeSupervisor {
    /// How the supervisor runs; defaults for everything but the directories and the node name.
    public struct Configuration: Sendable {
        /// The node's name, shown in status.
        public var node: String
        /// Where instance records live (`<home>/instances`).
        public var recordsDirectory: String
        /// The root of the instance logs (`<home>/logs`).
        public var logsDirectory: String
        /// The least time between two status writes of one service: a crash loop of many
        /// instances writes at most this often.
        public var statusInterval: Duration = .milliseconds(500)
        /// The node's labels, for `placement.nodeSelector`.
        public var labels: [String: String] = [:]
        /// The node's memory for `memoryReservation` (nil: unknown, no limit); by default the
        /// machine's `MemTotal`.
        public var memoryCapacity: Int64? = NodeSupervisor.machineMemory()
        /// The instances of each replica whose logs are kept (`--previous` reads the one before the current).
        public var keepLogsPerReplica = 5
        /// Variables of Steward's own environment that instances inherit.
        public var inheritedEnvironment = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "TMPDIR"]

        public init(node: String, recordsDirectory: String, logsDirectory: String) {
            self.node = node
            self.recordsDirectory = recordsDirectory
            self.logsDirectory = logsDirectory
        }
    }

    /// Runs one health check: (probe, port, environment, working directory, timeout) → (passed, message).
    public typealias HealthChecker =
        @Sendable (HealthCheckSpec.Probe, Int?, [String: String], String?, Duration) async -> (passed: Bool, message: String)
    /// Writes a service's status: (namespace, name, status).
    public typealias StatusSink = @Sendable (String, String, JSON) async -> Void

    /// A service on this node.
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        public var namespace: String
        public var name: String
        public init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }
        public var description: String { "\(namespace)/\(name)" }
    }

    public let configuration: Configuration
    let runtime: any InstanceRuntime
    let healthChecker: HealthChecker
    let statusSink: StatusSink
    let clock: @Sendable () -> Int64
    let logger: Logger
    let records: InstanceRecordStore
    let logs: InstanceLogFiles
    let rotator: LogRotator

    private var services: [Key: ServiceSupervision] = [:]
    private var owners: [String: Key] = [:]
    private var removalWaiters: [Key: [CheckedContinuation<Void, Never>]] = [:]
    private var statusInFlight: Set<Key> = []
    private var lastStatusWrite: [Key: Int64] = [:]
    private var timer: (deadline: Int64, task: Task<Void, Never>)?
    private var baseEnvironment: [String: String] = [:]
    /// Whether ``run()`` has adopted the instances of an earlier run. Until then desired states
    /// wait in `pending` (latest per service): applied before, they would start a second
    /// instance next to each running one.
    private var adopted = false
    private var pending: [Key: DesiredService] = [:]
    private var adoptionWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        configuration: Configuration, runtime: any InstanceRuntime, healthChecker: @escaping HealthChecker,
        statusSink: @escaping StatusSink, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
        logger: Logger = Logger(label: "steward.supervisor")
    ) {
        self.configuration = configuration
        self.runtime = runtime
        self.healthChecker = healthChecker
        self.statusSink = statusSink
        self.clock = clock
        self.logger = logger
        self.records = InstanceRecordStore(directory: configuration.recordsDirectory)
        self.logs = InstanceLogFiles(root: configuration.logsDirectory, keepInstancesPerReplica: configuration.keepLogsPerReplica)
        self.rotator = LogRotator(files: logs, logger: logger)
        let environment = ProcessInfo.processInfo.environment
        var base: [String: String] = [:]
        for name in configuration.inheritedEnvironment { base[name] = environment[name] }
        if base["PATH"] == nil { base["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin" }
        self.baseEnvironment = base
    }

    // MARK: running

    /// Adopts the instances of an earlier run, then handles the runtime's reports until
    /// cancelled. The instances keep running (to be adopted by the next run); call
    /// ``stopAll()`` first to stop them.
    public func run() async {
        if !adopted {
            await adoptRecordedInstances()
            adopted = true
            let held = pending
            pending = [:]
            for service in held.values { apply(service) }
            for waiter in adoptionWaiters { waiter.resume() }
            adoptionWaiters = []
        }
        let rotator = self.rotator
        let rotating = Task { try? await rotator.run() }
        // Ends when the task is cancelled.
        for await termination in runtime.terminations {
            handle(termination)
        }
        timer?.task.cancel()
        rotating.cancel()
        await rotating.value
    }

    private func adoptRecordedInstances() async {
        let found = records.loadAll { path, error in
            self.logger.warning("skipping an unreadable instance record", metadata: ["path": "\(path)", "error": "\(error)"])
        }
        for record in found {
            let key = Key(namespace: record.namespace, name: record.service)
            guard await runtime.adopt(record.handle, memoryLimit: record.memoryLimit) else {
                logger.info("an instance ended while Steward was not running", metadata: ["instance": "\(record.handle.instanceID)"])
                records.delete(namespace: record.namespace, service: record.service, instanceID: record.handle.instanceID)
                continue
            }
            var instance = SupervisedInstance(
                id: record.handle.instanceID, replica: record.replica, template: record.template,
                generation: record.generation, state: .running, handle: record.handle, port: record.port,
                startedAt: record.startedAt)
            instance.ready = true
            var supervision = services[key] ?? ServiceSupervision(namespace: key.namespace, name: key.name)
            supervision.adopt(instance, restarts: record.restarts)
            services[key] = supervision
            owners[instance.id] = key
            rotator.register(path: logPath(key, replica: record.replica, id: instance.id))
            logger.info("adopted a running instance", metadata: ["instance": "\(instance.id)", "pid": "\(record.handle.pid)"])
        }
    }

    // MARK: desired state

    /// A service's desired state (created, updated or resynced). Its status is written soon.
    /// Before ``run()`` has adopted the earlier run's instances, it is held until it has.
    public func apply(_ service: DesiredService) {
        let key = Key(namespace: service.namespace, name: service.name)
        guard adopted else {
            pending[key] = service
            return
        }
        let held = claims(of: key)
        var supervision = services[key] ?? ServiceSupervision(namespace: key.namespace, name: key.name)
        let actions = supervision.setDesired(service, unschedulable: unschedulable(service, key: key), now: clock())
        services[key] = supervision
        forceStatus(key)
        perform(actions, for: key)
        // Others are placed again only when what this service holds here changed: at start-up,
        // n services of which none claims anything cost n placements, not n².
        if claims(of: key) != held { placeOthers(than: key) }
    }

    /// What a service holds on this node that limits the others: its `exclusive` name, fixed
    /// port and reserved memory (nil when none of its replicas is placed here).
    private struct Claims: Equatable {
        var exclusive: String?
        var port: Int?
        var reserved: Int64
    }

    private func claims(of key: Key) -> Claims? {
        guard let supervision = services[key], !supervision.removing, let desired = supervision.desired else { return nil }
        let placed = (0..<desired.wantedReplicas).filter { supervision.unschedulable[$0] == nil }.count
        guard placed > 0 else { return nil }
        let port = desired.spec.port.flatMap { $0 > 0 ? $0 : nil }
        let reserved = Int64(placed) * (desired.spec.memoryReservation ?? 0)
        guard desired.spec.placement.exclusive != nil || port != nil || reserved > 0 else { return nil }
        return Claims(exclusive: desired.spec.placement.exclusive, port: port, reserved: reserved)
    }

    // MARK: placement on this node

    /// The replicas of `service` that may not run on this node, with why: placement with this
    /// node alone, where the other services' instances hold their `exclusive` names, fixed ports
    /// and reserved memory.
    private func unschedulable(_ service: DesiredService, key: Key) -> [Int: String] {
        var node = PlacementNode(name: configuration.node, labels: configuration.labels, memoryCapacity: configuration.memoryCapacity)
        for otherKey in services.keys where otherKey != key {
            guard let held = claims(of: otherKey) else { continue }
            if let name = held.exclusive { node.exclusiveClaimedByOthers.insert(name) }
            if let port = held.port { node.portsTakenByOthers.insert(port) }
            node.memoryReservedByOthers += held.reserved
        }
        let running = Set(services[key]?.instances.filter { $0.state != .stopping }.map(\.replica) ?? [])
        return PlacementDecision.forNode(node, service: PlacementService(service), running: running).unschedulable
    }

    /// Places the other services again after `key` changed what it holds on this node (a
    /// service that waited for an `exclusive` name runs once its holder is gone).
    private func placeOthers(than key: Key) {
        for (otherKey, other) in services where otherKey != key && !other.removing {
            guard let desired = other.desired else { continue }
            let wanted = unschedulable(desired, key: otherKey)
            guard wanted != other.unschedulable else { continue }
            var supervision = other
            let actions = supervision.setDesired(desired, unschedulable: wanted, now: clock())
            services[otherKey] = supervision
            perform(actions, for: otherKey)
        }
    }

    /// The memory this node offers, in bytes: `MemTotal` of `/proc/meminfo`, or the limit of the
    /// supervisor's own memory cgroup when that is lower.
    public static func machineMemory() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int64($0) })
        else { return CgroupMemory.ownLimit() }
        // A supervisor confined to a memory cgroup offers no more than the group's limit.
        return min(kib * 1024, CgroupMemory.ownLimit() ?? .max)
    }

    /// Removes a service: stops its instances and returns once none lives.
    public func remove(namespace: String, name: String) async {
        let key = Key(namespace: namespace, name: name)
        if !adopted {
            pending[key] = nil
            await withCheckedContinuation { adoptionWaiters.append($0) }
        }
        guard var supervision = services[key] else { return }
        let actions = supervision.remove(now: clock())
        services[key] = supervision
        perform(actions, for: key)
        if supervision.isEmpty {
            forget(key)
            return
        }
        await withCheckedContinuation { removalWaiters[key, default: []].append($0) }
    }

    /// After listing a namespace's services at start: services this node has instances of
    /// (adopted) that no longer exist are removed, so that no instance runs that Steward does
    /// not know.
    public func reconcileKnown(namespace: String, names: Set<String>) async {
        if !adopted { await withCheckedContinuation { adoptionWaiters.append($0) } }
        let orphans = services.keys.filter { $0.namespace == namespace && !names.contains($0.name) }
        for key in orphans {
            logger.info("stopping the instances of a service that no longer exists", metadata: ["service": "\(key)"])
            await remove(namespace: key.namespace, name: key.name)
        }
    }

    /// The services this node supervises.
    public var keys: [Key] { Array(services.keys) }

    /// This node as its heartbeat describes it: name, labels, memory, processors and the
    /// instances it runs (every state but stopped and failed).
    public var node: Node {
        let live = services.values.reduce(0) { count, supervision in
            count + supervision.instances.filter { $0.state != .stopped && $0.state != .failed }.count
        }
        return Node(
            name: configuration.node, labels: configuration.labels, memoryCapacity: configuration.memoryCapacity,
            cpus: ProcessInfo.processInfo.activeProcessorCount, instances: live)
    }

    /// The supervision state of one service (for status, tests and tools).
    public func supervision(namespace: String, name: String) -> ServiceSupervision? {
        services[Key(namespace: namespace, name: name)]
    }

    // MARK: operations

    /// Runs each live instance's health check now: (instance id, passed, message). An instance
    /// of a service without a check passes while its process lives.
    public func check(namespace: String, name: String) async -> [(instance: String, passed: Bool, message: String)] {
        guard let supervision = services[Key(namespace: namespace, name: name)], let desired = supervision.desired else { return [] }
        var results: [(String, Bool, String)] = []
        for instance in supervision.instances where instance.handle != nil && instance.state != .stopping {
            if let check = desired.spec.healthCheck {
                let outcome = await healthChecker(
                    check.probe, instance.port, environment(for: desired, replica: instance.replica, id: instance.id, port: instance.port),
                    desired.spec.workingDir, check.timeout)
                results.append((instance.id, outcome.passed, outcome.message))
            } else {
                results.append((instance.id, true, "running, pid \(instance.handle!.pid) (no health check)"))
            }
        }
        return results
    }

    /// Sends `signal` to every live instance of a service; returns the instance ids.
    public func signal(namespace: String, name: String, signal: Int32) async -> [String] {
        guard let supervision = services[Key(namespace: namespace, name: name)] else { return [] }
        var ids: [String] = []
        for instance in supervision.instances {
            guard let handle = instance.handle else { continue }
            await runtime.signal(handle, signal)
            ids.append(instance.id)
        }
        return ids
    }

    // MARK: events

    private func handle(_ termination: InstanceTermination) {
        let id = termination.handle.instanceID
        guard let key = owners.removeValue(forKey: id), var supervision = services[key] else { return }
        records.delete(namespace: key.namespace, service: key.name, instanceID: id)
        let release = runtime
        let rotator = self.rotator
        let path = supervision.instance(id).map { logPath(key, replica: $0.replica, id: id) }
        Task {
            await release.release(termination.handle)
            if let path { await rotator.unregister(path: path) }
        }
        let actions = supervision.terminated(id, exit: termination.exit, oomKilled: termination.oomKilled, now: clock())
        services[key] = supervision
        logger.debug(
            "instance ended", metadata: ["instance": "\(id)", "exit": "\(termination.exit)", "oom": "\(termination.oomKilled)"])
        perform(actions, for: key)
    }

    private func healthResult(_ key: Key, _ id: String, passed: Bool, message: String) {
        guard var supervision = services[key] else { return }
        let actions = supervision.healthResult(id, passed: passed, message: message, now: clock())
        services[key] = supervision
        perform(actions, for: key)
    }

    private func timerFired() {
        logger.trace("timer fired")
        timer = nil
        let now = clock()
        for key in Array(services.keys) {
            guard var supervision = services[key] else { continue }
            if let deadline = supervision.nextDeadline, deadline <= now {
                let actions = supervision.tick(now: now)
                services[key] = supervision
                perform(actions, for: key, rearm: false)
            } else if supervision.changed {
                writeStatusIfDue(key)
            }
        }
        rearm()
    }

    // MARK: actions

    private func perform(_ actions: [SupervisionAction], for key: Key, rearm shouldRearm: Bool = true) {
        for action in actions {
            switch action {
            case .start(let id, let replica, let port, let pickPort):
                start(id, replica: replica, port: pickPort ? FreePort.pick() : port, for: key)
            case .signal(let id, let signal):
                guard let handle = services[key]?.instance(id)?.handle else { continue }
                let runtime = self.runtime
                Task { await runtime.signal(handle, signal) }
            case .probe(let id):
                probe(id, for: key)
            }
        }
        finishIfRemoved(key)
        if services[key]?.changed == true { writeStatusIfDue(key) }
        if shouldRearm { rearm() }
    }

    private func start(_ id: String, replica: Int, port: Int?, for key: Key) {
        guard let desired = services[key]?.desired else { return }
        owners[id] = key
        let launch = InstanceLaunch(
            instanceID: id, command: desired.spec.command,
            environment: environment(for: desired, replica: replica, id: id, port: port),
            workingDirectory: desired.spec.workingDir, memoryLimit: desired.spec.memoryLimit,
            logPath: logPath(key, replica: replica, id: id))
        let runtime = self.runtime
        Task {
            do {
                let handle = try await runtime.start(launch)
                self.started(id, handle: handle, port: port, replica: replica, for: key)
            } catch {
                self.startFailed(id, message: (error as? InstanceStartError)?.message ?? "\(error)", for: key)
            }
        }
    }

    private func started(_ id: String, handle: InstanceHandle, port: Int?, replica: Int, for key: Key) {
        guard var supervision = services[key], let desired = supervision.desired else { return }
        let now = clock()
        let actions = supervision.started(id, handle: handle, port: port, now: now)
        services[key] = supervision
        let slot = supervision.slots[replica]
        // An instance that ended before its spawn was reported (its termination came first)
        // gets no record: nothing would delete it.
        guard supervision.instance(id) != nil else { return perform(actions, for: key) }
        do {
            try records.save(
                InstanceRecord(
                    namespace: key.namespace, service: key.name, replica: replica, template: desired.template,
                    generation: desired.generation, handle: handle, port: port, startedAt: now,
                    restarts: slot?.restarts ?? 0, memoryLimit: desired.spec.memoryLimit))
        } catch {
            logger.error(
                "could not write the instance record; the instance will not be adopted after a restart",
                metadata: ["instance": "\(id)", "error": "\(error)"])
        }
        let path = logPath(key, replica: replica, id: id)
        rotator.register(path: path)
        // Logs of the replica's older instances beyond those kept (`--previous` reads the last).
        _ = try? logs.prune(namespace: key.namespace, service: key.name, replica: replica)
        perform(actions, for: key)
    }

    /// `<logs>/<namespace>/<service>/<replica>/<instance id>.log`.
    func logPath(_ key: Key, replica: Int, id: String) -> String {
        logs.path(namespace: key.namespace, service: key.name, replica: replica, instanceID: id)
    }

    private func startFailed(_ id: String, message: String, for key: Key) {
        owners[id] = nil
        guard var supervision = services[key] else { return }
        logger.warning("an instance could not start", metadata: ["instance": "\(id)", "error": "\(message)"])
        let actions = supervision.startFailed(id, message: message, now: clock())
        services[key] = supervision
        perform(actions, for: key)
    }

    private func probe(_ id: String, for key: Key) {
        guard let supervision = services[key], let desired = supervision.desired, let check = desired.spec.healthCheck,
            let instance = supervision.instance(id)
        else { return }
        let environment = environment(for: desired, replica: instance.replica, id: id, port: instance.port)
        let checker = healthChecker
        Task {
            let outcome = await checker(check.probe, instance.port, environment, desired.spec.workingDir, check.timeout)
            self.healthResult(key, id, passed: outcome.passed, message: outcome.message)
        }
    }

    /// The instance's environment: Steward's inherited variables, the spec's `env`, then the
    /// `STEWARD_*` variables, `PORT` and `CONTEXT_ROOT` (seed 002), which the spec cannot override.
    func environment(for desired: DesiredService, replica: Int, id: String, port: Int?) -> [String: String] {
        var environment = baseEnvironment.merging(desired.spec.env) { $1 }
        environment["STEWARD_NAMESPACE"] = desired.namespace
        environment["STEWARD_SERVICE"] = desired.name
        environment["STEWARD_INSTANCE"] = id
        environment["STEWARD_REPLICA"] = String(replica)
        environment["STEWARD_NODE"] = configuration.node
        environment["CONTEXT_ROOT"] = "/\(desired.namespace)-\(desired.name)"
        if let port { environment["PORT"] = String(port) }
        return environment
    }

    // MARK: status

    private func forceStatus(_ key: Key) {
        lastStatusWrite[key] = nil
        writeStatusIfDue(key)
    }

    private func writeStatusIfDue(_ key: Key) {
        guard let supervision = services[key], supervision.desired != nil, !supervision.removing,
            !statusInFlight.contains(key)
        else { return }
        let now = clock()
        if let last = lastStatusWrite[key], now - last < configuration.statusInterval.milliseconds {
            return  // the timer writes it when the interval has passed
        }
        var reported = supervision
        reported.markReported()
        services[key] = reported
        let status = supervision.status(node: configuration.node, now: now)
        statusInFlight.insert(key)
        lastStatusWrite[key] = now
        let sink = statusSink
        logger.trace("writing status", metadata: ["service": "\(key)"])
        Task {
            await sink(key.namespace, key.name, status)
            self.statusWritten(key)
        }
    }

    private func statusWritten(_ key: Key) {
        logger.trace("status written", metadata: ["service": "\(key)", "changed": "\(services[key]?.changed == true)"])
        statusInFlight.remove(key)
        if services[key]?.changed == true { rearm() }
    }

    // MARK: timers and removal

    private func rearm() {
        var deadline: Int64?
        for (key, supervision) in services {
            if let d = supervision.nextDeadline { deadline = min(deadline ?? d, d) }
            if supervision.changed, supervision.desired != nil, !supervision.removing, !statusInFlight.contains(key) {
                let due = (lastStatusWrite[key] ?? 0) + configuration.statusInterval.milliseconds
                deadline = min(deadline ?? due, due)
            }
        }
        guard let deadline else {
            timer?.task.cancel()
            timer = nil
            return
        }
        if let armed = timer, armed.deadline <= deadline { return }
        timer?.task.cancel()
        let wait = max(0, deadline - clock())
        timer = (
            deadline,
            Task {
                try? await Task.sleep(for: .milliseconds(wait))
                if !Task.isCancelled { self.timerFired() }
            }
        )
    }

    private func finishIfRemoved(_ key: Key) {
        guard let supervision = services[key], supervision.removing, supervision.isEmpty else { return }
        forget(key)
    }

    private func forget(_ key: Key) {
        // A removed service's logs go with it (a new service of the same name starts afresh).
        if services[key]?.removing == true { try? logs.removeAll(namespace: key.namespace, service: key.name) }
        services[key] = nil
        // A removing service claims nothing already: the services it kept out may run now.
        placeOthers(than: key)
        lastStatusWrite[key] = nil
        for waiter in removalWaiters.removeValue(forKey: key) ?? [] { waiter.resume() }
    }

    /// Stops every instance (SIGTERM, then SIGKILL after each stop timeout) and returns when
    /// all have ended; ``run()`` must still be running to see the ends.
    public func stopAll() async {
        await withTaskGroup(of: Void.self) { group in
            for key in services.keys {
                group.addTask { await self.remove(namespace: key.namespace, name: key.name) }
            }
        }
    }
}
