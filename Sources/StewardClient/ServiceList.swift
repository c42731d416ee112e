import StewardCore

/// A page of services and the store revision it was read at; watch from ``revision`` to
/// follow the changes that come after the list.
public struct ServiceList: Sendable, Equatable {
    public var items: [Service]
    /// The store revision the list reflects.
    public var revision: Int64

    public init(items: [Service], revision: Int64) {
        self.items = items
        self.revision = revision
    }
}
