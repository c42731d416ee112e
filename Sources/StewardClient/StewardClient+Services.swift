import JSONSchema
import StewardCore

extension StewardClient {
    /// The services of a namespace, optionally of one kind and matching every label in `labels`,
    /// by name. With `limit`, one page of at most that many (1 to 10,000); pass the page's
    /// ``ServiceList/continueToken`` as `continue` for the next, with the same filters.
    public func services(
        kind: String? = nil, labels: [(String, String)] = [], limit: Int? = nil, continue token: String? = nil,
        namespace: String? = nil
    ) async throws(StewardError) -> ServiceList {
        let selector = labels.isEmpty ? nil : labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        let path = PathBuilder.api(
            ["namespaces", namespaceOrDefault(namespace), "services"],
            query: [("kind", kind), ("labelSelector", selector), ("limit", limit.map(String.init)), ("continue", token)])
        let body = try await call(.get, path)
        let items = try Self.items(body).map { (item: JSON) throws(StewardError) in try Service(json: item) }
        return ServiceList(
            items: items, revision: Int64(body["revision"]?.intValue ?? 0), continueToken: body["continue"]?.stringValue)
    }

    /// One service by name.
    public func service(name: String, namespace: String? = nil) async throws(StewardError) -> Service {
        try Service(json: try await serviceDocument(name: name, namespace: namespace))
    }

    /// One service by name, as the server sent it (all fields, in the server's order).
    public func serviceDocument(name: String, namespace: String? = nil) async throws(StewardError) -> JSON {
        try await call(.get, servicePath(name, namespace: namespace))
    }

    /// Adds a service. `document` is sent as written; the server applies its definition's
    /// defaults and validates it.
    @discardableResult
    public func createService(_ document: JSON, namespace: String? = nil) async throws(StewardError) -> Service {
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "services"])
        return try Service(json: try await call(.post, path, json: document))
    }

    /// Replaces the service named by `document`'s `metadata.name`. When the document carries
    /// `metadata.resourceVersion` and the service changed since, the server refuses with
    /// `conflict`. `status` in the document is ignored.
    @discardableResult
    public func updateService(_ document: JSON, namespace: String? = nil) async throws(StewardError) -> Service {
        try Service(json: try await updateServiceDocument(document, namespace: namespace))
    }

    private func updateServiceDocument(_ document: JSON, namespace: String?) async throws(StewardError) -> JSON {
        let name = try Self.name(of: document)
        return try await call(.put, servicePath(name, namespace: namespace), json: document)
    }

    /// Removes a service and returns it as it was.
    @discardableResult
    public func removeService(name: String, namespace: String? = nil) async throws(StewardError) -> Service {
        let body = try await call(.delete, servicePath(name, namespace: namespace))
        return try Service(json: body)
    }

    /// The spec changes of a service, newest first.
    public func history(name: String, namespace: String? = nil) async throws(StewardError) -> [HistoryEntry] {
        try await history(name: name, limit: nil, continue: nil, namespace: namespace).items
    }

    /// A page of the spec changes of a service, newest first: at most `limit` (all when nil),
    /// after the page whose ``ListPage/continueToken`` is `continue`.
    public func history(name: String, limit: Int?, continue token: String?, namespace: String? = nil)
        async throws(StewardError) -> ListPage<HistoryEntry>
    {
        let path = servicePath(name, namespace: namespace) + "/history" + PathBuilder.query(Self.pageQuery(limit, token))
        let body = try await call(.get, path)
        let items = try Self.items(body).map { (item: JSON) throws(StewardError) in try HistoryEntry(json: item) }
        return ListPage(items: items, continueToken: body["continue"]?.stringValue)
    }

    /// The `limit` and `continue` query items of a page.
    static func pageQuery(_ limit: Int?, _ token: String?) -> [(String, String?)] {
        [("limit", limit.map(String.init)), ("continue", token)]
    }

    /// Replaces the observed state of a service (reconcilers and owners). With
    /// `resourceVersion`, the write is refused with `conflict` when the service changed since.
    /// A status write does not move the generation.
    @discardableResult
    public func setStatus(name: String, status: JSON, resourceVersion: String? = nil, namespace: String? = nil)
        async throws(StewardError) -> Service
    {
        var body: JSONObject = ["status": status]
        if let resourceVersion { body["metadata"] = .object(["resourceVersion": .string(resourceVersion)]) }
        let response = try await call(.put, servicePath(name, namespace: namespace) + "/status", json: .object(body))
        return try Service(json: response)
    }

    /// Sets one field of a service, such as `spec.replicas` or `spec.ports[0].port`.
    ///
    /// This reads the service, changes the field, and writes it back guarded by the
    /// `resourceVersion` it read; when another writer got in between, it reads again and
    /// retries (up to `maxAttempts` times, with a short random pause), so concurrent sets of
    /// different fields never lose one another.
    @discardableResult
    public func setField(
        name: String, path: JSONPath, value: JSON, namespace: String? = nil, maxAttempts: Int = 50
    ) async throws(StewardError) -> Service {
        guard case .key(let top)? = path.components.first, top == "spec" || top == "metadata" else {
            throw .invalidInput(
                "cannot set '\(path)': only fields under 'spec' and 'metadata' can be set (status is written by reconcilers)",
                field: path.description)
        }
        if case .key(let second)? = path.components.dropFirst().first, top == "metadata",
            !["labels", "annotations"].contains(second)
        {
            throw .invalidInput(
                "cannot set '\(path)': of the metadata only labels and annotations can be set", field: path.description)
        }
        var attempt = 0
        while true {
            attempt += 1
            let current = try await serviceDocument(name: name, namespace: namespace)
            let updated = try path.setting(value, in: current)
            do {
                return try Service(json: try await updateServiceDocument(updated, namespace: namespace))
            } catch where error.code == .conflict && attempt < maxAttempts {
                let pause = UInt64.random(in: 1...UInt64(min(attempt, 10) * 5))
                try? await Task.sleep(nanoseconds: pause * 1_000_000)
            }
        }
    }

    func servicePath(_ name: String, namespace: String?) -> String {
        PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "services", name])
    }
}
