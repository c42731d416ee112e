/// A member's rights in a namespace.
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// Reads; manages services.
    case member
    /// Everything a member may, plus definitions and members.
    case owner

    public static func < (lhs: Role, rhs: Role) -> Bool {
        lhs == .member && rhs == .owner
    }

    /// Reads a role, failing with the allowed values.
    public init(parsing text: String, field: String = "role") throws(StewardError) {
        guard let role = Role(rawValue: text) else {
            throw .invalidInput("'\(field)' must be 'member' or 'owner', got '\(text)'", field: field)
        }
        self = role
    }
}
