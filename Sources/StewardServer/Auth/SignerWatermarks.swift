/// The rule that keeps a signed request from being accepted twice across a server restart, as
/// pure state (``ReplayGuard`` does the I/O).
///
/// Each identity has a high-water mark H: the highest request timestamp (unix seconds) the
/// server may have acted on. A request above the durable H must wait until H is raised to its
/// timestamp on disk; at or below it, it is acted on at once. The marks stored when the server
/// started are the restart marks: every request at or below its identity's restart mark is
/// refused, because the server before the restart may have acted on it and its nonce is
/// forgotten. (Replays before a restart are caught by the nonce cache.)
///
/// See "Replay protection" in docs/architecture.md for why this accepts each request once.
struct SignerWatermarks: Sendable {
    /// What to do with a request whose signature verified and whose nonce is new.
    enum Verdict: Equatable, Sendable {
        /// The request is at or below its identity's mark from before the restart: refuse it.
        case olderThanRestart(mark: Int64)
        /// The request is at or below the durable mark: act on it.
        case accept
        /// The request is above the durable mark: raise the mark to its timestamp on disk
        /// first, then act on it.
        case raise
    }

    /// The marks stored when the server started.
    private(set) var restartMarks: [String: Int64]
    /// Marks known to be on disk since the start (those the server chose to remember; any mark
    /// left out only costs its identity a raise more).
    private(set) var durable: [String: Int64] = [:]

    /// - Parameter stored: the marks read from the store at start.
    init(stored: [String: Int64]) {
        restartMarks = stored
    }

    func verdict(identity: String, timestamp: Int64) -> Verdict {
        if let mark = restartMarks[identity], timestamp <= mark { return .olderThanRestart(mark: mark) }
        if let mark = durable[identity], timestamp <= mark { return .accept }
        return .raise
    }

    /// Records that the mark of `identity` is on disk at `timestamp` or higher.
    mutating func raised(identity: String, to timestamp: Int64) {
        if durable[identity].map({ $0 < timestamp }) ?? true { durable[identity] = timestamp }
    }

    /// Forgets the marks below `cutoff` (the server clock minus the clock-skew window): every
    /// request at or below them is refused as expired anyway.
    mutating func forget(below cutoff: Int64) {
        restartMarks = restartMarks.filter { $0.value >= cutoff }
        durable = durable.filter { $0.value >= cutoff }
    }

    /// How many identities have a durable mark in memory since the start.
    var count: Int { durable.count }
}
