import AsyncHTTPClient
import JSONSchema
import NIOCore
import StewardCore

extension StewardClient {
    /// Registers an executor of `executorType` named `name` (registering again under the same
    /// name returns the processes it held to the queue).
    @discardableResult
    public func registerExecutor(name: String, executorType: String, node: String, namespace: String? = nil)
        async throws(StewardError) -> Executor
    {
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "executors"])
        let body: JSON = .object(["name": .string(name), "executorType": .string(executorType), "node": .string(node)])
        return try Executor(json: try await call(.post, path, json: body))
    }

    /// Removes an executor (its own identity or an owner); the processes it held go back to the
    /// queue at once instead of waiting for their leases to run out.
    public func removeExecutor(name: String, namespace: String? = nil) async throws(StewardError) {
        try await call(.delete, PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "executors", name]))
    }

    /// The executors registered in a namespace.
    public func executors(namespace: String? = nil) async throws(StewardError) -> [Executor] {
        let body = try await call(.get, PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "executors"]))
        return try Self.items(body).map { (item: JSON) throws(StewardError) in try Executor(json: item) }
    }

    /// Waits up to `timeout` for a process for the executor `name`; nil when none came.
    public func assignProcess(executor name: String, timeout: Duration, namespace: String? = nil)
        async throws(StewardError) -> ReconciliationProcess?
    {
        let seconds = String(Double(timeout.milliseconds) / 1000)
        let path = PathBuilder.api(
            ["namespaces", namespaceOrDefault(namespace), "executors", name, "assign"], query: [("timeout", seconds)])
        // The server holds the request up to `timeout`; the transport waits that long more.
        // A 204 (no process in time) has no body: `call` gives null for it.
        let json = try await call(.post, path, timeout: timeout + configuration.requestTimeout)
        return json.isNull ? nil : try ReconciliationProcess(json: json)
    }

    /// Extends the lease of a process that the executor `executor` (registered by the caller)
    /// holds; `conflict` when it lost it (to another executor, or because it was closed).
    @discardableResult
    public func heartbeat(process id: String, executor: String, namespace: String? = nil) async throws(StewardError)
        -> ReconciliationProcess
    {
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "processes", id, "heartbeat"])
        return try ReconciliationProcess(json: try await call(.post, path, json: ["executor": .string(executor)]))
    }

    /// Closes a process that the executor `executor` holds with success, or failure and an error
    /// message (retried with backoff); `conflict` when the executor no longer holds it.
    @discardableResult
    public func closeProcess(id: String, executor: String, error: String? = nil, namespace: String? = nil)
        async throws(StewardError) -> ReconciliationProcess
    {
        var body = JSONObject()
        body["executor"] = .string(executor)
        body["result"] = .string(error == nil ? "success" : "failure")
        if let error { body["error"] = .string(error) }
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "processes", id, "close"])
        return try ReconciliationProcess(json: try await call(.post, path, json: .object(body)))
    }

    /// Processes of a namespace, newest first, optionally of one service and in one state.
    public func processes(service: String? = nil, state: ProcessState? = nil, limit: Int = 100, namespace: String? = nil)
        async throws(StewardError) -> [ReconciliationProcess]
    {
        try await processPage(service: service, state: state, limit: limit, namespace: namespace).items
    }

    /// A page of the processes of a namespace, newest first: at most `limit` (1 to 10,000; the
    /// server's default is 100), after the page whose ``ProcessPage/continueToken`` is
    /// `continue` (with the same filters).
    public func processPage(
        service: String? = nil, state: ProcessState? = nil, limit: Int? = nil, continue token: String? = nil,
        namespace: String? = nil
    ) async throws(StewardError) -> ProcessPage {
        let path = PathBuilder.api(
            ["namespaces", namespaceOrDefault(namespace), "processes"],
            query: [("service", service), ("state", state?.rawValue)] + Self.pageQuery(limit, token))
        let body = try await call(.get, path)
        let items = try Self.items(body).map { (item: JSON) throws(StewardError) in try ReconciliationProcess(json: item) }
        let lengths = body["uniqueIdPrefixLengths"]?.arrayValue?.compactMap(\.intValue) ?? []
        return ProcessPage(
            items: items,
            uniqueIDPrefixLengths: lengths.count == items.count ? lengths : items.map { $0.id.utf8.count },
            continueToken: body["continue"]?.stringValue)
    }

    /// One process by id, or by a prefix of its id that no other process id of the namespace
    /// starts with (an ambiguous prefix is refused with `invalid_input` naming the matches).
    public func process(id: String, namespace: String? = nil) async throws(StewardError) -> ReconciliationProcess {
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "processes", id])
        return try ReconciliationProcess(json: try await call(.get, path))
    }

    /// Asks for a `resync` of a service now.
    @discardableResult
    public func reconcileService(name: String, namespace: String? = nil) async throws(StewardError) -> ReconciliationProcess {
        try ReconciliationProcess(json: try await call(.post, servicePath(name, namespace: namespace) + "/reconcile"))
    }

    /// The latest process of a service and the result of its last closed one
    /// (`{"latest", "failures", "lastResult", "lastError", "lastClosedAt"}`).
    public func reconciliation(ofService name: String, namespace: String? = nil) async throws(StewardError) -> JSON {
        try await call(.get, servicePath(name, namespace: namespace) + "/reconciliation")
    }

    /// Removes a service. Without `force`, a service whose kind has a handler is marked deleting
    /// and removed once its reconciler has handled the `delete` process; the returned service
    /// then carries `deletionTimestamp`.
    @discardableResult
    public func removeService(name: String, force: Bool, namespace: String? = nil) async throws(StewardError) -> Service {
        try await removeServiceReportingOutcome(name: name, force: force, namespace: namespace).service
    }

    /// ``removeService(name:force:namespace:)``, also telling whether the service is gone
    /// (the server answered 200) or only marked deleting (202). A service already marked
    /// deleting that `force` removes carries its `deletionTimestamp` but is gone.
    public func removeServiceReportingOutcome(name: String, force: Bool, namespace: String? = nil)
        async throws(StewardError) -> ServiceRemoval
    {
        var path = servicePath(name, namespace: namespace)
        if force { path += "?force=true" }
        let (status, json) = try await callReportingStatus(.delete, path)
        return ServiceRemoval(service: try Service(json: json), removed: status != 202)
    }
}
