import CSQLite

/// A failure reported by SQLite: the result code, SQLite's message, and what the store was
/// doing.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The (extended) SQLite result code.
    public let code: Int32
    public let message: String
    /// The statement or operation that failed.
    public let context: String

    public var description: String { "SQLite error \(code) (\(message)) while \(context)" }

    /// True for constraint violations (UNIQUE, FOREIGN KEY, NOT NULL, CHECK).
    public var isConstraintViolation: Bool { code & 0xff == SQLITE_CONSTRAINT }

    /// True for a violation of a table's PRIMARY KEY (`SQLITE_CONSTRAINT_PRIMARYKEY`, a macro
    /// Swift does not import).
    public var isPrimaryKeyViolation: Bool { code == SQLITE_CONSTRAINT | (6 << 8) }
}
