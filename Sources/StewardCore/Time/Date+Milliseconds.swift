import Foundation

extension Date {
    /// Milliseconds since 1970-01-01T00:00:00Z, rounded down: the unit of process and executor
    /// timestamps.
    public var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded(.down))
    }
}
