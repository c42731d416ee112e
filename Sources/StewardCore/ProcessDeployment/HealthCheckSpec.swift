/// How the supervisor checks that an instance works (`spec.healthCheck` of a `ProcessDeployment`).
public struct HealthCheckSpec: Sendable, Hashable {
    /// What one check does.
    public enum Probe: Sendable, Hashable {
        /// Runs this argv (in the instance's environment and directory); exit 0 passes.
        case exec([String])
        /// `GET http://127.0.0.1:<port><path>`; a 2xx or 3xx answer passes.
        case http(path: String, port: Int?)
        /// A TCP connection to `127.0.0.1:<port>` passes.
        case tcp(port: Int?)
    }

    public var probe: Probe
    /// Time between checks.
    public var interval: Duration
    /// How long one check may take before it counts as failed.
    public var timeout: Duration
    /// Consecutive failures after which the instance is restarted (reason `Unhealthy`).
    public var failureThreshold: Int
    /// Failures in this time after the start do not count.
    public var startPeriod: Duration

    public init(
        probe: Probe, interval: Duration = .seconds(10), timeout: Duration = .seconds(1), failureThreshold: Int = 3,
        startPeriod: Duration = .zero
    ) {
        self.probe = probe
        self.interval = interval
        self.timeout = timeout
        self.failureThreshold = failureThreshold
        self.startPeriod = startPeriod
    }
}
