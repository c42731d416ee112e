import CStewardSystem
import Glibc
import Synchronization

/// Runs instances as processes on this machine.
///
/// Each instance is spawned (`posix_spawn`, see ``ProcessSpawner``) in a session of its own, so
/// its pid is its process group and signals reach all it started; its stdout and stderr go
/// straight to its log file, stdin is `/dev/null`. Nothing ties it to the supervisor: it
/// outlives a restart and the next supervisor adopts it by pid and start time. Ends are learned
/// from the kernel through pidfds, on one thread for all instances (``ExitWatcher``).
///
/// A memory limit is a cgroup per instance (v1 or v2, whichever this machine has for memory);
/// without one, a resident-size watch kills the instance's group when its process tree
/// exceeds the limit. Either way the termination says `oomKilled`.
public final class ProcessRuntime: InstanceRuntime {
    /// How the runtime applies memory limits.
    public struct Configuration: Sendable {
        /// Use memory cgroups when the machine has them; false: always the resident-size watch.
        public var useCgroups: Bool
        /// How often the resident-size watch measures the limited instances without a cgroup.
        public var residentSizeInterval: Duration

        public init(useCgroups: Bool = true, residentSizeInterval: Duration = .milliseconds(250)) {
            self.useCgroups = useCgroups
            self.residentSizeInterval = residentSizeInterval
        }
    }

    /// What the runtime keeps of a started or adopted instance until it is released.
    private struct Instance {
        var handle: InstanceHandle
        /// Until the end is reported; then the watcher has closed the descriptor.
        var alive = true
        /// The instance's memory cgroup, when it has one.
        var cgroup: String?
        /// The resident-size watch killed it for its limit.
        var killedForMemory = false
    }

    public let terminations: AsyncStream<InstanceTermination>
    private let continuation: AsyncStream<InstanceTermination>.Continuation
    private let instances = Mutex<[String: Instance]>([:])
    /// The memory cgroup layout, nil without one (or with `useCgroups` off).
    let cgroupMemory: CgroupMemory?
    private let residentSizeWatch: ResidentSizeWatch

    public init(configuration: Configuration = .init()) {
        let (stream, continuation) = AsyncStream.makeStream(of: InstanceTermination.self, bufferingPolicy: .unbounded)
        terminations = stream
        self.continuation = continuation
        cgroupMemory = configuration.useCgroups ? CgroupMemory.detect() : nil
        residentSizeWatch = ResidentSizeWatch(interval: configuration.residentSizeInterval)
    }

    deinit {
        continuation.finish()
    }

    // MARK: InstanceRuntime

    public func start(_ launch: InstanceLaunch) async throws(InstanceStartError) -> InstanceHandle {
        let log = try ProcessSpawner.openLog(launch.logPath)
        defer { close(log) }
        var cgroup: String?
        if let limit = launch.memoryLimit, let cgroupMemory {
            cgroup = cgroupMemory.createGroup(instanceID: launch.instanceID, limit: limit)
        }
        let spawn = { () throws(InstanceStartError) -> pid_t in
            try ProcessSpawner.spawn(
                launch.command, environment: launch.environment, workingDirectory: launch.workingDirectory,
                output: log
            )
        }
        var pid: pid_t
        var inside = false
        do throws(InstanceStartError) {
            if let directory = cgroup, let cgroupMemory {
                (pid, inside) = try cgroupMemory.spawning(into: directory, spawn)
            } else {
                pid = try spawn()
            }
        } catch {
            if let cgroup { rmdir(cgroup) }
            throw error
        }
        // Where the process could not be born in its group: move it in now, before it has
        // done much (what it allocated until then stays charged to the supervisor's group).
        if let directory = cgroup, let cgroupMemory, !inside, !cgroupMemory.move(pid, into: directory) {
            rmdir(directory)
            cgroup = nil
        }
        // The child is not reaped before the watcher runs, so /proc/<pid> and pidfd_open work
        // even when it has already exited (a zombie).
        let startTime = ProcFS.startTime(pid) ?? 0
        let pidfd = steward_pidfd_open(pid)
        guard pidfd >= 0 else {
            // Out of descriptors (EMFILE): an instance that cannot be watched must not run.
            let reason = ProcessSpawner.errorText(errno)
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            if let cgroup { _ = await cgroupMemory?.removeGroup(cgroup) }
            throw InstanceStartError("cannot watch \(launch.command[0]) (pid \(pid)): pidfd_open: \(reason)")
        }
        let handle = InstanceHandle(instanceID: launch.instanceID, pid: pid, startTime: startTime, cgroup: cgroup)
        track(handle, pidfd: pidfd, cgroup: cgroup, memoryLimit: launch.memoryLimit)
        return handle
    }

    public func adopt(_ handle: InstanceHandle, memoryLimit: Int64?) async -> Bool {
        if instances.withLock({ $0[handle.instanceID].map { $0.alive && $0.handle.pid == handle.pid } ?? false }) {
            return true
        }
        guard handle.pid > 1, ProcFS.startTime(handle.pid, living: true) == handle.startTime else { return false }
        let pidfd = steward_pidfd_open(handle.pid)
        guard pidfd >= 0 else { return false }
        // The pid may have been reused between the check and the open: check again; the pidfd
        // now pins the process it names.
        guard ProcFS.startTime(handle.pid, living: true) == handle.startTime else {
            close(pidfd)
            return false
        }
        var cgroup: String?
        if let directory = handle.cgroup, let cgroupMemory, cgroupMemory.owns(directory),
            access(directory + "/cgroup.procs", F_OK) == 0
        {
            cgroup = directory
            if let memoryLimit { cgroupMemory.setLimit(directory, memoryLimit) }
        }
        track(handle, pidfd: pidfd, cgroup: cgroup, memoryLimit: memoryLimit)
        return true
    }

    public func signal(_ handle: InstanceHandle, _ signal: Int32) async {
        // kill(-1) would reach every process, kill(0) the supervisor's own group.
        guard handle.pid > 1 else { return }
        let known = instances.withLock { $0[handle.instanceID].map { $0.handle.pid == handle.pid } ?? false }
        // A handle this runtime does not follow: only while the pid is still that process.
        guard known || ProcFS.startTime(handle.pid) == handle.startTime else { return }
        _ = kill(-handle.pid, signal)  // ESRCH: the group is gone, nothing to do.
    }

    public func memoryUsage(_ handle: InstanceHandle) async -> Int64? {
        let instance = instances.withLock { $0[handle.instanceID] }
        if let instance, !instance.alive { return nil }
        if let cgroup = instance?.cgroup, let cgroupMemory { return cgroupMemory.usage(cgroup) }
        guard instance != nil || ProcFS.startTime(handle.pid) == handle.startTime else { return nil }
        return ProcFS.treeResidentBytes(handle.pid)
    }

    public func release(_ handle: InstanceHandle) async {
        let instance = instances.withLock { instances -> Instance? in
            guard let instance = instances[handle.instanceID], !instance.alive else { return nil }
            return instances.removeValue(forKey: handle.instanceID)
        }
        residentSizeWatch.remove(handle.instanceID)
        if let cgroup = instance?.cgroup ?? handle.cgroup, let cgroupMemory, cgroupMemory.owns(cgroup),
            instances.withLock({ $0[handle.instanceID] == nil })
        {
            _ = await cgroupMemory.removeGroup(cgroup)
        }
    }

    // MARK: Watching

    private func track(_ handle: InstanceHandle, pidfd: Int32, cgroup: String?, memoryLimit: Int64?) {
        instances.withLock { $0[handle.instanceID] = Instance(handle: handle, cgroup: cgroup) }
        if cgroup == nil, let memoryLimit {
            residentSizeWatch.add(handle.instanceID, pid: handle.pid, limit: memoryLimit) { [weak self] in
                self?.killForMemory(handle.instanceID, pid: handle.pid)
            }
        }
        ExitWatcher.shared.watch(pidfd: pidfd) { [weak self] pidfd in
            let exit = ProcessReaper.reap(pidfd: pidfd)
            close(pidfd)
            self?.ended(handle, exit: exit)
        }
    }

    private func ended(_ handle: InstanceHandle, exit: InstanceExit) {
        residentSizeWatch.remove(handle.instanceID)
        let instance = instances.withLock { instances -> Instance? in
            guard var instance = instances[handle.instanceID], instance.handle.pid == handle.pid else { return nil }
            instance.alive = false
            instances[handle.instanceID] = instance
            return instance
        }
        var oomKilled = instance?.killedForMemory ?? false
        if let cgroup = instance?.cgroup, let cgroupMemory, cgroupMemory.oomKills(cgroup) > 0 {
            oomKilled = true
        }
        continuation.yield(InstanceTermination(handle: handle, exit: exit, oomKilled: oomKilled))
    }

    private func killForMemory(_ instanceID: String, pid: Int32) {
        let alive = instances.withLock { instances -> Bool in
            guard instances[instanceID]?.alive == true, instances[instanceID]?.handle.pid == pid else { return false }
            instances[instanceID]?.killedForMemory = true
            return true
        }
        if alive { _ = kill(-pid, SIGKILL) }
    }
}
