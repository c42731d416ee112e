import Foundation
import StewardCore

/// Refuses, across restarts, signed requests that the server may already have acted on: it
/// keeps each identity's high-water timestamp durably (``SignerWatermarks``) and raises it
/// through the store before a request above it goes on.
///
/// A raise is one small write through the store's single writer, so the raises of many
/// identities share a commit with each other and with the writes queued beside them. Requests
/// of one identity within one second wait for the same raise: at most one write per identity
/// per second, and none for a request at or below the durable mark (the common case of a busy
/// identity, and every read within a second of the last raise).
///
/// Every identity's mark is raised, members or not, so that a request is covered even when its
/// signer becomes a member while it is in flight; but only the marks of identities that
/// `remembers` accepts (the members) are kept in memory, so that requests signed with made-up
/// keys do not grow it (each of them costs its raise, grouped with the others).
final class ReplayGuard: @unchecked Sendable {
    /// Writes raised marks, and deletes the marks below `forgetBelow` when set.
    typealias Persist = @Sendable (_ marks: [String: Int64], _ forgetBelow: Int64?) async throws -> Void

    /// The header a refusal names, so that a client knows to sign the request again.
    static let field = RequestSigning.HeaderName.timestamp

    private let lock = NSLock()
    private var marks: SignerWatermarks
    /// Raises under way, by identity: the timestamp each raises to.
    private var inFlight: [String: (timestamp: Int64, task: Task<Void, Error>)] = [:]
    private let persist: Persist
    private let remembers: @Sendable (_ identity: String) -> Bool
    private let window: Int64
    private var lastForget: Int64

    /// - Parameters:
    ///   - stored: the marks read from the store at start.
    ///   - window: the clock-skew window in seconds; marks older than it are forgotten.
    ///   - now: the server clock at start (unix seconds).
    ///   - remembers: whether to keep an identity's raised mark in memory.
    init(
        stored: [String: Int64], window: Int64, now: Int64,
        remembers: @escaping @Sendable (_ identity: String) -> Bool = { _ in true }, persist: @escaping Persist
    ) {
        self.marks = SignerWatermarks(stored: stored)
        self.window = window
        self.lastForget = now
        self.remembers = remembers
        self.persist = persist
        self.marks.forget(below: now - window)
    }

    /// Returns once a request of `identity` signed at `timestamp` may be acted on; throws 401
    /// when it is at or below the identity's mark from before the restart, 503 when the mark
    /// cannot be stored.
    func admit(identity: String, timestamp: Int64, now: Int64) async throws(StewardError) {
        let step = lock.withLock { () -> Step in
            switch marks.verdict(identity: identity, timestamp: timestamp) {
            case .accept: return .proceed
            case .olderThanRestart(let mark): return .refuse(mark: mark)
            case .raise: return .wait(raise(identity: identity, to: timestamp, now: now))
            }
        }
        let target: Int64
        let task: Task<Void, Error>
        switch step {
        case .proceed:
            return
        case .refuse(let mark):
            throw StewardError(
                .unauthenticated,
                "the request is older than the server's restart: it was signed at \(timestamp), and requests of this identity signed up to \(mark) may have been acted on before the restart; sign it again",
                field: Self.field)
        case .wait(let raise):
            (target, task) = raise
        }
        let result = await task.result
        let remember = remembers(identity)
        lock.withLock {
            if inFlight[identity]?.timestamp == target { inFlight[identity] = nil }
            if case .success = result, remember { marks.raised(identity: identity, to: target) }
        }
        if case .failure(let error) = result {
            if let error = error as? StewardError { throw error }
            throw StewardError(.unavailable, "the server cannot record the request's timestamp: \(error)")
        }
    }

    /// What ``admit(identity:timestamp:now:)`` does after its look at the marks.
    private enum Step {
        case proceed
        case refuse(mark: Int64)
        /// Wait for the raise to `timestamp`.
        case wait((timestamp: Int64, task: Task<Void, Error>))
    }

    /// The raise under way for `identity` that covers `timestamp`, or a new one (which also
    /// forgets old marks once per window). Called with the lock held.
    private func raise(identity: String, to timestamp: Int64, now: Int64) -> (timestamp: Int64, task: Task<Void, Error>) {
        if let running = inFlight[identity], running.timestamp >= timestamp { return running }
        let forgetBelow: Int64? = now - lastForget >= window ? now - window : nil
        if let forgetBelow {
            lastForget = now
            marks.forget(below: forgetBelow)
        }
        let persist = self.persist
        let task = Task { try await persist([identity: timestamp], forgetBelow) }
        inFlight[identity] = (timestamp, task)
        return (timestamp, task)
    }

    /// How many identities have a mark in memory.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return marks.count
    }
}
