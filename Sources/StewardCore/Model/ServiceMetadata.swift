import JSONSchema

/// The metadata of a service: identity, labels, and the server-maintained versions.
public struct ServiceMetadata: Sendable, Equatable {
    public var name: String
    public var namespace: String
    /// A unique id assigned on creation.
    public var uid: String
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Moves only when the spec changes (starts at 1).
    public var generation: Int
    /// The store revision of the last write, as a string; guards updates.
    public var resourceVersion: String?
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?
    public var finalizers: [String]
    public var deletionTimestamp: Timestamp?

    public init(
        name: String, namespace: String = "", uid: String = "", labels: [String: String] = [:],
        annotations: [String: String] = [:], generation: Int = 0, resourceVersion: String? = nil,
        createdAt: Timestamp? = nil, updatedAt: Timestamp? = nil, finalizers: [String] = [],
        deletionTimestamp: Timestamp? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.labels = labels
        self.annotations = annotations
        self.generation = generation
        self.resourceVersion = resourceVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finalizers = finalizers
        self.deletionTimestamp = deletionTimestamp
    }

    /// Reads metadata from a request; only `name` is required.
    public init(json: JSON, path: String = "metadata") throws(StewardError) {
        let r = try FieldReader(json, path: path)
        self.name = try r.requiredString("name")
        self.namespace = try r.string("namespace") ?? ""
        self.uid = try r.string("uid") ?? ""
        self.labels = try r.stringMap("labels") ?? [:]
        self.annotations = try r.stringMap("annotations") ?? [:]
        self.generation = try r.int("generation") ?? 0
        if let v = r.value("resourceVersion") {
            // Accept a number too: a hand-written spec may carry `"resourceVersion": 12`.
            switch v {
            case .string(let s): self.resourceVersion = s
            case .int(let i): self.resourceVersion = String(i)
            default:
                throw .invalidInput(
                    "'\(r.fieldPath("resourceVersion"))' must be a string, got \(v.typeName)",
                    field: r.fieldPath("resourceVersion"))
            }
        } else {
            self.resourceVersion = nil
        }
        self.createdAt = try r.timestamp("createdAt")
        self.updatedAt = try r.timestamp("updatedAt")
        self.finalizers = try r.stringArray("finalizers") ?? []
        self.deletionTimestamp = try r.timestamp("deletionTimestamp")
    }

    /// The wire form.
    public var json: JSON {
        var o = JSONObject()
        o["name"] = .string(name)
        o["namespace"] = .string(namespace)
        o["uid"] = .string(uid)
        o["labels"] = .stringMap(labels)
        o["annotations"] = .stringMap(annotations)
        o["generation"] = .int(generation)
        o["resourceVersion"] = resourceVersion.map(JSON.string) ?? .null
        o["createdAt"] = createdAt.map { .string($0.rfc3339) } ?? .null
        o["updatedAt"] = updatedAt.map { .string($0.rfc3339) } ?? .null
        o["finalizers"] = .array(finalizers.map(JSON.string))
        o["deletionTimestamp"] = deletionTimestamp.map { .string($0.rfc3339) } ?? .null
        return .object(o)
    }
}
