/// One instance (one process) of a replica, as the supervision core tracks it.
public struct SupervisedInstance: Sendable, Hashable {
    /// `<service>-<replica>-<start time in ms as 12 hex digits>`.
    public var id: String
    public var replica: Int
    /// The template it was started from (``DesiredService/template``).
    public var template: String
    public var generation: Int
    public var state: InstanceState
    /// Known once spawned.
    public var handle: InstanceHandle?
    public var port: Int?
    /// Unix milliseconds of the start request (and of the spawn, once spawned).
    public var startedAt: Int64
    /// Whether the last health check passed (true without a check once running).
    public var ready: Bool = false
    /// Whether a health check ever passed.
    public var everHealthy: Bool = false
    public var consecutiveFailures: Int = 0
    public var nextProbeAt: Int64?
    public var probeInFlight: Bool = false
    public var lastCheck: HealthRecord?
    /// When stopping: when SIGKILL follows, and why it was stopped.
    public var killAt: Int64?
    public var stopReason: String?
    /// Whether SIGKILL was sent.
    public var killed: Bool = false

    /// One health check's outcome.
    public struct HealthRecord: Sendable, Hashable {
        public var passed: Bool
        public var message: String
        public var at: Int64
    }

    /// Whether the instance exists as a process (or is being spawned).
    public var isLive: Bool { state == .starting || state == .running || state == .stopping }
}
