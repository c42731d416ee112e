import StewardCore

/// A page of services and the store revision it was read at; watch from ``revision`` to
/// follow the changes that come after the list.
public struct ServiceList: Sendable, Equatable {
    public var items: [Service]
    /// The store revision the list reflects; every page of a list reports its first page's.
    public var revision: Int64
    /// The token that asks for the next page, when more services follow.
    public var continueToken: String?

    public init(items: [Service], revision: Int64, continueToken: String? = nil) {
        self.items = items
        self.revision = revision
        self.continueToken = continueToken
    }
}
