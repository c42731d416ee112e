import ArgumentParser

/// `--chunk-size`: lists are read a page at a time and printed as the pages come, so that a
/// long list needs the memory of one page, as kubectl's `--chunk-size` does.
struct PagingOptions: ParsableArguments {
    /// The largest page the server gives.
    static let maxChunkSize = 10_000

    @Option(
        name: .customLong("chunk-size"),
        help: ArgumentHelp(
            "Read the list in pages of this many items (1 to 10000) and print each page as it comes; 0 reads it in one request.",
            valueName: "n"))
    var chunkSize: Int = 500

    func validate() throws {
        guard (0...Self.maxChunkSize).contains(chunkSize) else {
            throw ValidationError("--chunk-size must be from 0 to \(Self.maxChunkSize), got \(chunkSize)")
        }
    }

    /// Reads a list page by page until its end, or until `total` items were read:
    /// `fetch(limit, token)` reads the page after `token` (nil for the first) of at most
    /// `limit` items (nil: no limit) and returns its items and the next page's token;
    /// `handle` gets each page's items as they come.
    func forEachPage<Item>(
        upTo total: Int? = nil,
        fetch: (_ limit: Int?, _ token: String?) async throws -> (items: [Item], next: String?),
        handle: ([Item]) throws -> Void
    ) async throws {
        var token: String?
        var remaining = total
        repeat {
            var limit = chunkSize == 0 ? nil : chunkSize
            if let remaining { limit = min(limit ?? Self.maxChunkSize, remaining, Self.maxChunkSize) }
            let page = try await fetch(limit, token)
            let items = remaining.map { Array(page.items.prefix($0)) } ?? page.items
            try handle(items)
            remaining = remaining.map { $0 - items.count }
            token = page.next
        } while token != nil && (remaining ?? 1) > 0
    }
}
