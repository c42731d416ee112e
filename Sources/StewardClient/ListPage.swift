/// A page of a list (definitions, history): its items, and the token that asks for the next
/// page when more follow.
public struct ListPage<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Pass it as `continue` to read the next page; nil on the last page.
    public var continueToken: String?

    public init(items: [Item], continueToken: String? = nil) {
        self.items = items
        self.continueToken = continueToken
    }
}

extension ListPage: Equatable where Item: Equatable {}
