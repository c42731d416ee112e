import NIOCore

/// The deadline of one HTTP/1 connection, as a pure function of what it has read and written.
///
/// - Nothing sent since it opened: the request head is due ``ListenerConfiguration/headerTimeout``
///   after the opening.
/// - Bytes of a request arrived but not yet its whole head: due `headerTimeout` after the first
///   of them (a client that sends a byte now and then gains nothing).
/// - A head was read, its body not yet: the next part is due
///   ``ListenerConfiguration/idleTimeout`` after the last bytes.
/// - The request was read and its response is being written: no deadline (watch streams and
///   long polls run as long as they need).
/// - The response was written: the next request is due `idleTimeout` after it.
struct ConnectionTimeouts: Sendable, Equatable {
    let headerTimeout: TimeAmount
    let idleTimeout: TimeAmount

    private var headsRead = 0
    private var endsRead = 0
    private var responsesWritten = 0
    /// When the next request head began: its first bytes, or the opening for the first request.
    private var headStartedAt: NIODeadline?
    /// The last bytes of a request body.
    private var lastBodyBytesAt: NIODeadline
    /// The end of the last response.
    private var idleSince: NIODeadline?

    init(headerTimeout: TimeAmount, idleTimeout: TimeAmount, openedAt: NIODeadline) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.headStartedAt = openedAt
        self.lastBodyBytesAt = openedAt
    }

    /// Whether no request is in progress: the connection waits for (the head of) the next one.
    var isAwaitingRequest: Bool { headsRead == endsRead && responsesWritten >= endsRead }

    /// When the connection is to be closed unless something happens first; nil for never.
    var deadline: NIODeadline? {
        if responsesWritten < endsRead { return nil }
        if headsRead > endsRead { return lastBodyBytesAt + idleTimeout }
        if let headStartedAt { return headStartedAt + headerTimeout }
        return (idleSince ?? lastBodyBytesAt) + idleTimeout
    }

    /// Bytes arrived from the client.
    mutating func bytesArrived(at now: NIODeadline) {
        if headsRead > endsRead {
            lastBodyBytesAt = now
        } else if headStartedAt == nil {
            headStartedAt = now
        }
    }

    /// A complete request head was decoded.
    mutating func headRead(at now: NIODeadline) {
        headsRead += 1
        headStartedAt = nil
        lastBodyBytesAt = now
    }

    /// The end of a request was decoded.
    mutating func endRead() {
        endsRead += 1
    }

    /// The end of a response was written.
    mutating func responseWritten(at now: NIODeadline) {
        responsesWritten += 1
        idleSince = now
        // Bytes of a pipelined head that came while the response was written count from now.
        if headStartedAt != nil { headStartedAt = now }
    }
}
