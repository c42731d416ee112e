import JSONSchema

/// A tenant: every definition and service lives in one.
public struct Namespace: Sendable, Equatable {
    public var name: String
    public var createdAt: Timestamp
    /// The caller's role in it, when listed for a caller.
    public var role: Role?

    public init(name: String, createdAt: Timestamp, role: Role? = nil) {
        self.name = name
        self.createdAt = createdAt
        self.role = role
    }

    public var json: JSON {
        var o = JSONObject()
        o["name"] = .string(name)
        if let role { o["role"] = .string(role.rawValue) }
        o["createdAt"] = .string(createdAt.rfc3339)
        return .object(o)
    }

    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json)
        self.name = try r.requiredString("name")
        self.createdAt = try r.timestamp("createdAt") ?? Timestamp(secondsSince1970: 0)
        self.role = try r.string("role").map { (s: String) throws(StewardError) -> Role in try Role(parsing: s) }
    }
}
