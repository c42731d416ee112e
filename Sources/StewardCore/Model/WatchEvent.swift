import JSONSchema

/// One entry of the event log: a change to a service or a definition, with its revision.
public struct WatchEvent: Sendable, Equatable {
    /// What happened.
    public enum EventType: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    /// What changed.
    public enum ObjectType: String, Sendable {
        case service, definition
    }

    /// The store's global, monotonically increasing revision of this change.
    public var revision: Int64
    public var type: EventType
    public var objectType: ObjectType
    public var namespace: String
    /// The service kind, or the kind a definition defines.
    public var kind: String
    public var name: String
    /// The object after the change (before it, for a deletion).
    public var object: JSON

    public init(
        revision: Int64, type: EventType, objectType: ObjectType, namespace: String, kind: String, name: String,
        object: JSON
    ) {
        self.revision = revision
        self.type = type
        self.objectType = objectType
        self.namespace = namespace
        self.kind = kind
        self.name = name
        self.object = object
    }

    /// The `data:` payload of the event on the watch stream.
    public var json: JSON {
        .object([
            "type": .string(type.rawValue), "revision": .int(Int(revision)),
            "objectType": .string(objectType.rawValue), "object": object,
        ])
    }

    /// Reads a watch stream payload.
    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json)
        let type = try r.requiredString("type")
        guard let eventType = EventType(rawValue: type) else {
            throw .invalidInput("'type' must be ADDED, MODIFIED or DELETED, got '\(type)'", field: "type")
        }
        let objectTypeText = try r.requiredString("objectType")
        guard let objectType = ObjectType(rawValue: objectTypeText) else {
            throw .invalidInput("'objectType' must be service or definition, got '\(objectTypeText)'", field: "objectType")
        }
        let object = r.value("object") ?? .null
        self.revision = Int64(try r.int("revision") ?? 0)
        self.type = eventType
        self.objectType = objectType
        self.object = object
        self.namespace = object["metadata"]?["namespace"]?.stringValue ?? ""
        self.name = object["metadata"]?["name"]?.stringValue ?? ""
        self.kind =
            objectType == .service
            ? object["kind"]?.stringValue ?? "" : object["spec"]?["names"]?["kind"]?.stringValue ?? ""
    }
}
