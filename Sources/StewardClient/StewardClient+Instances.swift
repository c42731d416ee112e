import JSONSchema
import StewardCore

extension StewardClient {
    /// Runs each instance's health check now (the node's supervisor answers).
    public func checkService(name: String, namespace: String? = nil) async throws(StewardError) -> [InstanceCheckResult] {
        let body = try await call(.post, servicePath(name, namespace: namespace) + "/check")
        return try Self.items(body).map { (item: JSON) throws(StewardError) in try InstanceCheckResult(json: item) }
    }

    /// Sends `signal` (`USR1`, `SIGHUP`) to every instance of a service; returns the instance ids.
    public func signalService(name: String, signal: String, namespace: String? = nil) async throws(StewardError) -> [String] {
        let body = try await call(.post, servicePath(name, namespace: namespace) + "/signal", json: .object(["signal": .string(signal)]))
        return body["instances"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
