import JSONSchema

/// A kind of service: its names, the schema its services' specs follow, and its handler.
public struct ServiceDefinition: Sendable, Equatable {
    public var metadata: DefinitionMetadata
    public var spec: DefinitionSpec

    public init(metadata: DefinitionMetadata, spec: DefinitionSpec) {
        self.metadata = metadata
        self.spec = spec
    }

    /// The kind this definition defines (`spec.names.kind`).
    public var kind: String { spec.names.kind }

    /// Reads a definition from a request body.
    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json)
        guard let metadata = r.value("metadata") else {
            throw .invalidInput("required field 'metadata.name' is missing", field: "metadata.name")
        }
        self.metadata = try DefinitionMetadata(json: metadata)
        try NameRules.validateDefinitionName(self.metadata.name)
        guard let spec = r.value("spec") else {
            throw .invalidInput("required field 'spec' is missing", field: "spec")
        }
        self.spec = try DefinitionSpec(json: spec)
    }

    /// The wire form: `{"metadata", "spec"}`.
    public var json: JSON {
        .object(["metadata": metadata.json, "spec": spec.json])
    }
}
