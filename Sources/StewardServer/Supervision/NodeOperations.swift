import StewardCore

/// What the API asks of the node's supervisor beyond desired state: run the health checks of a
/// service's instances now, and deliver a signal to them. The executable gives the server its
/// supervisor through this protocol (the server target does not depend on the supervisor).
public protocol NodeOperations: Sendable {
    /// Runs each live instance's health check now.
    func check(namespace: String, service: String) async -> [InstanceCheckResult]
    /// Sends `signal` to every live instance; returns their ids.
    func signal(namespace: String, service: String, signal: Int32) async -> [String]
}
