/// Which part of a list to read.
///
/// Lists page by key set on their sort key: a page starts right after the sort key of the
/// previous page's last item, so that writes between two pages neither repeat nor skip the
/// items that exist throughout (unlike an offset, which moves when rows come or go before it).
public struct PageRequest<Key: Sendable & Equatable>: Sendable, Equatable {
    /// The sort key of the previous page's last item; nil for the first page.
    public var after: Key?
    /// The most items to return; nil for all that remain.
    public var limit: Int?

    public init(after: Key? = nil, limit: Int? = nil) {
        self.after = after
        self.limit = limit
    }

    /// The whole list in one page.
    public static var all: PageRequest { PageRequest() }

    /// Ends a query with the page's clauses: the key-set condition on `column` (after the
    /// key: `>` ascending, `<` descending), the order, and a `LIMIT` one row above the page's,
    /// which tells whether more follow (see ``Page/init(rows:limit:item:key:)``).
    func appendClauses(
        to sql: inout String, _ bindings: inout [SQLiteValue], column: String, descending: Bool = false,
        key: (Key) -> SQLiteValue
    ) {
        if let after {
            sql += " AND \(column) \(descending ? "<" : ">") ?"
            bindings.append(key(after))
        }
        sql += " ORDER BY \(column)\(descending ? " DESC" : "")"
        if let limit {
            sql += " LIMIT ?"
            bindings.append(.int(Int64(limit) + 1))
        }
    }
}

/// A page of a list: its items, and the sort key of its last item when more items follow.
public struct Page<Item: Sendable, Key: Sendable>: Sendable {
    public var items: [Item]
    /// The key to pass as ``PageRequest/after`` for the next page; nil on the last page.
    public var next: Key?

    public init(items: [Item], next: Key?) {
        self.items = items
        self.next = next
    }

    /// The page of `rows` read with ``PageRequest/appendClauses(to:_:column:descending:key:)``: at most `limit` of them, and
    /// the key of the last one kept when a row more was read.
    init<Row>(rows: [Row], limit: Int?, item: (Row) -> Item, key: (Row) -> Key) {
        guard let limit, rows.count > limit else {
            self.init(items: rows.map(item), next: nil)
            return
        }
        let kept = rows.prefix(limit)
        self.init(items: kept.map(item), next: kept.last.map(key))
    }
}
