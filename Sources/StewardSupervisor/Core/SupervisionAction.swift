/// What the supervision core asks its shell to do. The shell carries each out and reports back
/// with an event (started, start failed, terminated, health result).
public enum SupervisionAction: Sendable, Hashable {
    /// Spawn instance `instanceID` of `replica` from the desired template; `pickPort`: give it
    /// a free port (spec `port: 0`), else `port` (nil: none).
    case start(instanceID: String, replica: Int, port: Int?, pickPort: Bool)
    /// Send `signal` to the instance's process group.
    case signal(instanceID: String, signal: Int32)
    /// Run the instance's health check now.
    case probe(instanceID: String)
}
