/// An incremental parser of `text/event-stream` bytes.
///
/// Feed it bytes as they arrive, in chunks of any size; it returns the events completed by
/// each chunk. Lines end in `\n`, `\r\n` or `\r`; a blank line ends an event; lines starting
/// with `:` are comments (heartbeats) and are skipped; `retry:` and unknown fields are ignored.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCarriageReturn = false
    private var id: String?
    private var event: String?
    private var dataLines: [String] = []
    private var hasData = false

    public init() {}

    /// Consumes `bytes` and returns the events they complete.
    public mutating func consume(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if lastWasCarriageReturn {
                lastWasCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                lastWasCarriageReturn = true
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let name: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            name = Substring(text)
            value = ""
        }
        switch name {
        case "data":
            dataLines.append(String(value))
            hasData = true
        case "event":
            event = String(value)
        case "id":
            if !value.contains("\0") { id = String(value) }
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            event = nil
            dataLines.removeAll()
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(id: id, event: event ?? "message", data: dataLines.joined(separator: "\n"))
    }
}
