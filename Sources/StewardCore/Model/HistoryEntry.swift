import JSONSchema

/// One recorded change of a service's spec.
public struct HistoryEntry: Sendable, Equatable {
    /// What happened to the service.
    public enum ChangeType: String, Sendable {
        case created, updated, deleted
    }

    public var generation: Int
    public var spec: JSON
    public var changeType: ChangeType
    /// The identity id that made the change.
    public var by: String
    public var at: Timestamp

    public init(generation: Int, spec: JSON, changeType: ChangeType, by: String, at: Timestamp) {
        self.generation = generation
        self.spec = spec
        self.changeType = changeType
        self.by = by
        self.at = at
    }

    public var json: JSON {
        .object([
            "generation": .int(generation), "spec": spec, "changeType": .string(changeType.rawValue),
            "by": .string(by), "at": .string(at.rfc3339),
        ])
    }

    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json)
        self.generation = try r.int("generation") ?? 0
        self.spec = r.value("spec") ?? .object([:])
        let type = try r.requiredString("changeType")
        guard let changeType = ChangeType(rawValue: type) else {
            throw .invalidInput("'changeType' must be created, updated or deleted, got '\(type)'", field: "changeType")
        }
        self.changeType = changeType
        self.by = try r.string("by") ?? ""
        self.at = try r.timestamp("at") ?? Timestamp(secondsSince1970: 0)
    }
}
