/// A replica of a service: its instances (usually one; two during a replacement) and the
/// history that the restart policy needs.
public struct ReplicaSlot: Sendable, Hashable {
    public var index: Int
    /// Live instances, oldest first.
    public var instances: [SupervisedInstance] = []
    /// Restarts of this replica (crashes, failed checks, OOM kills), shown in status.
    public var restarts: Int = 0
    /// Consecutive quick crashes (see ``RestartDecision``).
    public var crashStreak: Int = 0
    /// No new instance before this time (unix ms): the crash-loop delay.
    public var backoffUntil: Int64?
    /// Why the replica waits or ended (`CrashLoopBackOff`, `StartError`, `OOMKilled`).
    public var reason: String?
    public var message: String?
    public var lastExit: InstanceExit?
    public var lastExitAt: Int64?
    /// The reason of the last end (`OOMKilled`, `Unhealthy`, `Error`, `Completed`).
    public var lastTermination: String?
    /// The replica ended (FAILED or STOPPED) for this template and is not restarted.
    public var ended: (state: InstanceState, template: String)?
    /// The last instance id used, so that ids stay ordered within a millisecond.
    public var lastStartMS: Int64 = 0

    public init(index: Int) { self.index = index }

    public static func == (a: ReplicaSlot, b: ReplicaSlot) -> Bool {
        a.index == b.index && a.instances == b.instances && a.restarts == b.restarts && a.crashStreak == b.crashStreak
            && a.backoffUntil == b.backoffUntil && a.reason == b.reason && a.message == b.message && a.lastExit == b.lastExit
            && a.ended?.state == b.ended?.state && a.ended?.template == b.ended?.template
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(index) }
}
