import JSONSchema

/// An identity's membership in a namespace.
public struct Member: Sendable, Equatable {
    /// The identity id (hex public key).
    public var id: String
    public var role: Role
    public var addedAt: Timestamp

    public init(id: String, role: Role, addedAt: Timestamp) {
        self.id = id
        self.role = role
        self.addedAt = addedAt
    }

    public var json: JSON {
        .object(["id": .string(id), "role": .string(role.rawValue), "addedAt": .string(addedAt.rfc3339)])
    }

    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json)
        self.id = try r.requiredString("id")
        self.role = try Role(parsing: try r.requiredString("role"))
        self.addedAt = try r.timestamp("addedAt") ?? Timestamp(secondsSince1970: 0)
    }
}
