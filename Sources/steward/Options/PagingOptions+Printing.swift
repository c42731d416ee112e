import JSONSchema

extension PagingOptions {
    /// Reads a list page by page (see ``forEachPage(upTo:fetch:handle:)``) and prints it in
    /// `printer`'s format: JSON and YAML as `{"items": [...]}`, each page as it comes; a table
    /// once all items are read, from `tables(items)`.
    func printList<Item>(
        _ printer: Printer, upTo total: Int? = nil,
        fetch: (_ limit: Int?, _ token: String?) async throws -> (items: [Item], next: String?),
        json: (Item) -> JSON, tables: ([Item]) -> [Table]
    ) async throws {
        var items: [Item] = []
        var stream = ListStreamPrinter(format: printer.format)
        try await forEachPage(upTo: total, fetch: fetch) { page in
            if printer.format == .table { items += page } else { stream.write(page.map(json)) }
        }
        if printer.format == .table {
            printer.emit(.null) { tables(items) }
        } else {
            stream.finish()
        }
    }
}
