import JSONSchema

/// A service: desired state (`spec`, checked against its definition's schema) and observed
/// state (`status`, written only by reconcilers).
public struct Service: Sendable, Equatable {
    /// The kind, naming the ``ServiceDefinition`` whose schema the spec follows.
    public var kind: String
    public var metadata: ServiceMetadata
    /// Desired state.
    public var spec: JSON
    /// Observed state; an empty object until a reconciler reports.
    public var status: JSON

    public init(kind: String, metadata: ServiceMetadata, spec: JSON = .object([:]), status: JSON = .object([:])) {
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Reads a service from a request body. `kind` and `metadata.name` are required; a missing
    /// `spec` is an empty object.
    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json)
        self.kind = try r.requiredString("kind")
        guard let metadata = r.value("metadata") else {
            throw .invalidInput("required field 'metadata.name' is missing", field: "metadata.name")
        }
        self.metadata = try ServiceMetadata(json: metadata)
        let spec = r.value("spec") ?? .object([:])
        guard case .object = spec else {
            throw .invalidInput("'spec' must be an object, got \(spec.typeName)", field: "spec")
        }
        self.spec = spec
        let status = r.value("status") ?? .object([:])
        guard case .object = status else {
            throw .invalidInput("'status' must be an object, got \(status.typeName)", field: "status")
        }
        self.status = status
    }

    /// The wire form: `{"kind", "metadata", "spec", "status"}`.
    public var json: JSON {
        .object(["kind": .string(kind), "metadata": metadata.json, "spec": spec, "status": status])
    }
}
