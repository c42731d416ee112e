/// One event of a `text/event-stream` (the Server-Sent Events format of the HTML standard).
public struct ServerSentEvent: Sendable, Equatable {
    /// The `id:` field, or nil when the event had none.
    public var id: String?
    /// The `event:` field; `message` when the event had none.
    public var event: String
    /// The `data:` lines, joined by `\n`.
    public var data: String

    public init(id: String? = nil, event: String = "message", data: String) {
        self.id = id
        self.event = event
        self.data = data
    }
}
