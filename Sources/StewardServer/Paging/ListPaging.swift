import Hummingbird
import HummingbirdCore
import JSONSchema
import StewardCore

/// The `limit` and `continue` query parameters of a list endpoint, read strictly: `limit` is
/// an integer from 1 to ``maxLimit``, `continue` a token from a previous page of the same list
/// (the same namespace and filters).
///
/// Lists page by key set on their sort key (see `PageRequest` in the store), so a token stays
/// good however many writes happen between two pages: items that exist throughout are listed
/// exactly once.
struct ListPaging {
    /// The largest page a request may ask for.
    static let maxLimit = 10_000

    /// The list and its filters; a token must carry the same.
    var scope: JSONObject
    /// The page size asked for, or the list's default; nil for the whole list.
    var limit: Int?
    /// The token of the previous page, when the request continues a list.
    var token: ContinueToken?

    /// Reads `limit` and `continue` of `query` for the list `scope`.
    init(_ query: FlatDictionary<Substring, Substring>, scope: JSONObject, defaultLimit: Int? = nil) throws(StewardError) {
        self.scope = scope
        self.limit = try Self.parseLimit(query["limit"].map(String.init)) ?? defaultLimit
        self.token = try query["continue"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }.map {
            (text: String) throws(StewardError) in try ContinueToken(text: text, scope: scope)
        }
    }

    /// `limit` as given: nil when absent or empty; an error naming `limit` unless it is an
    /// integer from 1 to ``maxLimit``.
    static func parseLimit(_ text: String?) throws(StewardError) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let value = Int(text),
            (1...maxLimit).contains(value)
        else {
            throw .invalidInput("'limit' must be an integer from 1 to \(maxLimit), got '\(text.prefix(64))'", field: "limit")
        }
        return value
    }

    /// The name the page starts after (lists sorted by name).
    func afterName() throws(StewardError) -> String? {
        guard let token else { return nil }
        guard let name = token.after.stringValue else { throw Self.badKey() }
        return name
    }

    /// The sequence number the page starts after (lists sorted by sequence).
    func afterSequence() throws(StewardError) -> Int64? {
        guard let token else { return nil }
        guard let sequence = token.after.intValue else { throw Self.badKey() }
        return Int64(sequence)
    }

    /// The token of the next page when `next` (the page's last key) is set.
    func continueToken(after next: JSON?, revision: Int64? = nil) -> String? {
        next.map { ContinueToken(scope: scope, after: $0, revision: token?.revision ?? revision).text }
    }

    private static func badKey() -> StewardError {
        .invalidInput("'continue' must be the token of a previous page of this list; list again without it", field: "continue")
    }
}
