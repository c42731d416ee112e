import StewardCore

/// A page of processes, newest first, with the shortest prefix of each id that no other
/// process id starts with (which ``StewardClient/process(id:namespace:)`` accepts).
public struct ProcessPage: Sendable, Equatable {
    public var items: [ReconciliationProcess]
    /// For each item, the length of its id's shortest unique prefix.
    public var uniqueIDPrefixLengths: [Int]
    /// Pass it as `continue` to read the next page; nil on the last page.
    public var continueToken: String?

    public init(items: [ReconciliationProcess], uniqueIDPrefixLengths: [Int], continueToken: String? = nil) {
        self.items = items
        self.uniqueIDPrefixLengths = uniqueIDPrefixLengths
        self.continueToken = continueToken
    }
}
