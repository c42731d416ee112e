import JSONSchema

/// The metadata of a ``ServiceDefinition``.
public struct DefinitionMetadata: Sendable, Equatable {
    /// The definition's name, such as `executordeployments.compute.colonies.io`.
    public var name: String
    public var namespace: String
    public var uid: String
    /// Moves when the spec changes (starts at 1).
    public var generation: Int
    /// The store revision of the last write.
    public var resourceVersion: String?
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?

    public init(
        name: String, namespace: String = "", uid: String = "", generation: Int = 0,
        resourceVersion: String? = nil, createdAt: Timestamp? = nil, updatedAt: Timestamp? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.generation = generation
        self.resourceVersion = resourceVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(json: JSON, path: String = "metadata") throws(StewardError) {
        let r = try FieldReader(json, path: path)
        self.name = try r.requiredString("name")
        self.namespace = try r.string("namespace") ?? ""
        self.uid = try r.string("uid") ?? ""
        self.generation = try r.int("generation") ?? 0
        switch r.value("resourceVersion") {
        case .string(let s): self.resourceVersion = s
        case .int(let i): self.resourceVersion = String(i)
        case nil: self.resourceVersion = nil
        case let v?:
            throw .invalidInput("'\(path).resourceVersion' must be a string, got \(v.typeName)", field: "\(path).resourceVersion")
        }
        self.createdAt = try r.timestamp("createdAt")
        self.updatedAt = try r.timestamp("updatedAt")
    }

    public var json: JSON {
        var o = JSONObject()
        o["name"] = .string(name)
        o["namespace"] = .string(namespace)
        o["uid"] = .string(uid)
        o["generation"] = .int(generation)
        o["resourceVersion"] = resourceVersion.map(JSON.string) ?? .null
        o["createdAt"] = createdAt.map { .string($0.rfc3339) } ?? .null
        o["updatedAt"] = updatedAt.map { .string($0.rfc3339) } ?? .null
        return .object(o)
    }
}
