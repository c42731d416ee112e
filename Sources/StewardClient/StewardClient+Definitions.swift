import JSONSchema
import StewardCore

extension StewardClient {
    /// The definitions of a namespace.
    public func definitions(namespace: String? = nil) async throws(StewardError) -> [ServiceDefinition] {
        try await definitions(limit: nil, continue: nil, namespace: namespace).items
    }

    /// A page of the definitions of a namespace, by name: at most `limit` (all when nil), after
    /// the page whose ``ListPage/continueToken`` is `continue`.
    public func definitions(limit: Int?, continue token: String?, namespace: String? = nil) async throws(StewardError)
        -> ListPage<ServiceDefinition>
    {
        let path = PathBuilder.api(
            ["namespaces", namespaceOrDefault(namespace), "definitions"], query: Self.pageQuery(limit, token))
        let body = try await call(.get, path)
        let items = try Self.items(body).map { (item: JSON) throws(StewardError) in try ServiceDefinition(json: item) }
        return ListPage(items: items, continueToken: body["continue"]?.stringValue)
    }

    /// One definition by name (`metadata.name`, such as `executordeployments.compute.colonies.io`).
    public func definition(name: String, namespace: String? = nil) async throws(StewardError) -> ServiceDefinition {
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "definitions", name])
        return try ServiceDefinition(json: try await call(.get, path))
    }

    /// Adds a definition (owners only). `document` is sent as written; the server compiles
    /// its schema and refuses an invalid one.
    @discardableResult
    public func createDefinition(_ document: JSON, namespace: String? = nil) async throws(StewardError) -> ServiceDefinition {
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "definitions"])
        return try ServiceDefinition(json: try await call(.post, path, json: document))
    }

    /// Replaces the definition named by `document`'s `metadata.name` (owners only).
    @discardableResult
    public func updateDefinition(_ document: JSON, namespace: String? = nil) async throws(StewardError) -> ServiceDefinition {
        try await updateDefinitionReporting(document, namespace: namespace).definition
    }

    /// ``updateDefinition(_:namespace:)``, also returning what the server found when it checked
    /// the existing services of the kind against the new schema (nil from a server that does
    /// not report it).
    public func updateDefinitionReporting(
        _ document: JSON, namespace: String? = nil
    ) async throws(StewardError) -> (definition: ServiceDefinition, revalidation: ServiceRevalidation?) {
        let name = try Self.name(of: document)
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "definitions", name])
        let body = try await call(.put, path, json: document)
        let revalidation = try body["revalidation"].map { (report: JSON) throws(StewardError) in try ServiceRevalidation(json: report) }
        return (try ServiceDefinition(json: body), revalidation)
    }

    /// Removes a definition (owners only); refused with `conflict` while services of its kind exist.
    public func removeDefinition(name: String, namespace: String? = nil) async throws(StewardError) {
        try await call(.delete, PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "definitions", name]))
    }

    /// `metadata.name` of a document, or an `invalid_input` error naming the field.
    static func name(of document: JSON) throws(StewardError) -> String {
        guard let name = document["metadata"]?["name"]?.stringValue, !name.isEmpty else {
            throw .invalidInput("required field 'metadata.name' is missing", field: "metadata.name")
        }
        return name
    }
}
