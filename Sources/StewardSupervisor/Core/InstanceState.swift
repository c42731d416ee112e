/// Where an instance (or a replica waiting for one) is in its life, as status shows it.
public enum InstanceState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not started yet: waiting for its turn (a rolling replacement, placement).
    case notStarted = "NOT_STARTED"
    /// Spawned; its health check has not passed yet.
    case starting = "STARTING"
    /// Running (and, with a health check, passed it once).
    case running = "RUNNING"
    /// Ended and waiting for the restart delay (`CrashLoopBackOff`).
    case backoff = "BACKOFF"
    /// Asked to stop; killed after `stopTimeout`.
    case stopping = "STOPPING"
    /// Ended cleanly and not restarted (`restartPolicy` `never` or `on-failure`).
    case stopped = "STOPPED"
    /// Ended with a failure and not restarted, or could not start (`StartError`).
    case failed = "FAILED"
    /// Its node stopped reporting.
    case unknown = "UNKNOWN"
}
