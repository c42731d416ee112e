import Foundation

/// What a runtime needs to start one instance of a service.
public struct InstanceLaunch: Sendable, Equatable {
    /// Unique among all instances ever started on this node (`<service>-<replica>-<suffix>`).
    public var instanceID: String
    /// argv; `command[0]` is a path, or a name looked up in `PATH` of `environment`.
    public var command: [String]
    /// The whole environment of the instance (the supervisor adds the `STEWARD_*` variables).
    public var environment: [String: String]
    /// The directory the instance starts in; nil: the runtime's own.
    public var workingDirectory: String?
    /// The memory limit in bytes; nil: none.
    public var memoryLimit: Int64?
    /// The file that receives the instance's stdout and stderr (appended, created 0640).
    public var logPath: String

    public init(
        instanceID: String, command: [String], environment: [String: String], workingDirectory: String? = nil,
        memoryLimit: Int64? = nil, logPath: String
    ) {
        self.instanceID = instanceID
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.memoryLimit = memoryLimit
        self.logPath = logPath
    }
}

/// A started (or adopted) instance as the runtime knows it: enough to find it again after the
/// supervisor restarts, and to tell it from a process that reused its pid.
public struct InstanceHandle: Sendable, Codable, Hashable {
    public var instanceID: String
    /// The pid, which is also its process group and session id (it is started with `setsid`).
    public var pid: Int32
    /// Field 22 of `/proc/<pid>/stat` (clock ticks after boot): with the pid, the identity of
    /// the process across a restart of the supervisor.
    public var startTime: UInt64
    /// The instance's memory cgroup directory, when it has one.
    public var cgroup: String?

    public init(instanceID: String, pid: Int32, startTime: UInt64, cgroup: String? = nil) {
        self.instanceID = instanceID
        self.pid = pid
        self.startTime = startTime
        self.cgroup = cgroup
    }
}

/// How an instance ended.
public enum InstanceExit: Sendable, Hashable, Codable {
    /// It exited with this status.
    case exited(code: Int32)
    /// A signal ended it.
    case signaled(signal: Int32)
    /// It was adopted (not a child of this supervisor), so the kernel does not tell its status.
    case unknown

    /// A clean exit (status 0).
    public var isSuccess: Bool { self == .exited(code: 0) }
}

/// The end of an instance, as the kernel reported it.
public struct InstanceTermination: Sendable, Hashable {
    public var handle: InstanceHandle
    public var exit: InstanceExit
    /// The memory limit ended it: the cgroup's OOM killer, or the runtime's resident-size watch
    /// where there is no memory cgroup.
    public var oomKilled: Bool

    public init(handle: InstanceHandle, exit: InstanceExit, oomKilled: Bool) {
        self.handle = handle
        self.exit = exit
        self.oomKilled = oomKilled
    }
}

/// Starting failed: the reason is shown in the instance's status (`StartError`).
public struct InstanceStartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, naming the path or directory (`/no/such: no such file or directory`).
    public var message: String

    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs instances on this node. The process runtime spawns child processes; a container
/// runtime implements the same interface, so one supervision core drives both.
///
/// The supervisor decides *when* to start, signal and kill; the runtime only carries it out and
/// reports, from the kernel (or the engine), when an instance ends.
public protocol InstanceRuntime: Sendable {
    /// Starts an instance and returns once it exists (the process is spawned).
    func start(_ launch: InstanceLaunch) async throws(InstanceStartError) -> InstanceHandle

    /// Watches an instance started by an earlier run of the supervisor. False when it is gone
    /// (it exited, or its pid now belongs to another process); then it is not watched.
    func adopt(_ handle: InstanceHandle, memoryLimit: Int64?) async -> Bool

    /// Sends `signal` to the instance's whole process group. Does nothing when it has ended.
    func signal(_ handle: InstanceHandle, _ signal: Int32) async

    /// The ends of started and adopted instances, each reported once, as they happen.
    var terminations: AsyncStream<InstanceTermination> { get }

    /// The instance's resident memory in bytes now (cgroup usage, else the process tree's RSS).
    func memoryUsage(_ handle: InstanceHandle) async -> Int64?

    /// Frees what the runtime kept for an ended instance (its cgroup). Called after its termination.
    func release(_ handle: InstanceHandle) async
}
