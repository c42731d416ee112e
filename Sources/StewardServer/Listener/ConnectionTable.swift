/// Which connections are open and which of them wait for a request, for the connection limit:
/// a pure table, driven by the listener.
///
/// At the limit, ``open(_:)`` names the connection that has waited longest without a request in
/// progress (idle between requests, or still sending its head) for the caller to close; when
/// every open connection is busy with a request, it refuses the new one.
struct ConnectionTable<ID: Hashable & Sendable>: Sendable {
    /// What to do with a new connection.
    enum Admission: Equatable, Sendable {
        case accept
        /// Accept it and close this waiting connection to make room.
        case acceptClosing(ID)
        case refuse
    }

    let limit: Int
    /// Open connections, including those chosen to be closed whose close has not come yet.
    private(set) var count = 0 {
        didSet { peak = max(peak, count) }
    }
    /// The most connections open at once since the last time ``closed(_:)`` returned true.
    private(set) var peak = 0
    /// The ticket of each waiting connection: when it began to wait.
    private var waiting: [ID: UInt64] = [:]
    /// Waiting connections in the order they began to wait; an entry whose ticket is no longer
    /// the connection's own is stale and skipped.
    private var queue: [(ticket: UInt64, id: ID)] = []
    private var queueStart = 0
    private var nextTicket: UInt64 = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// How many open connections wait for a request.
    var waitingCount: Int { waiting.count }

    /// A new connection: accepted below the limit; at it, accepted in place of the longest-waiting one.
    mutating func open(_ id: ID) -> Admission {
        if count < limit {
            count += 1
            return .accept
        }
        while queueStart < queue.count {
            let entry = queue[queueStart]
            queueStart += 1
            if waiting[entry.id] == entry.ticket {
                waiting[entry.id] = nil
                count += 1
                compact()
                return .acceptClosing(entry.id)
            }
        }
        compact()
        return .refuse
    }

    /// The connection waits for a request (it opened, or its response was written).
    mutating func awaitsRequest(_ id: ID) {
        nextTicket += 1
        waiting[id] = nextTicket
        queue.append((nextTicket, id))
        compact()
    }

    /// The connection has a request in progress.
    mutating func busy(_ id: ID) {
        waiting[id] = nil
    }

    /// The connection closed. True when the open connections have fallen to a quarter of their
    /// peak, at least 1,024 fewer: the time to give the memory of the closed ones back to the
    /// system (the peak then starts again from here).
    mutating func closed(_ id: ID) -> Bool {
        count -= 1
        waiting[id] = nil
        guard count <= peak / 4, peak - count >= 1024 else { return false }
        peak = count
        return true
    }

    /// Drops consumed and stale entries once they outnumber the live ones, so that the queue
    /// stays proportional to the waiting connections.
    private mutating func compact() {
        guard queue.count > 64, queue.count > 2 * waiting.count else { return }
        queue = queue[queueStart...].filter { waiting[$0.id] == $0.ticket }
        queueStart = 0
    }
}
