import StewardCore

/// Where the server reads the logs of a service's instances for
/// `GET /api/v1/namespaces/{ns}/services/{name}/logs`: the node's supervisor keeps them (the
/// `steward` executable hands `steward server` one over its `<home>/logs`). A server built
/// without one answers that endpoint with 503.
public protocol InstanceLogSource: Sendable {
    /// The logs of `service`'s instances as byte chunks, as `query` selects them; the stream
    /// ends when all is read, or, when following, when the consuming task is cancelled. An empty
    /// chunk is a heartbeat (nothing was written for a while).
    ///
    /// - Throws: ``StewardError``: `notFound` for an instance the service does not have, or a
    ///   previous instance that does not exist; nothing for a service without logs (the stream
    ///   is then empty).
    func read(namespace: String, service: String, query: LogQuery) async throws -> AsyncThrowingStream<[UInt8], Error>
}
