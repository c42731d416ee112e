import Foundation

/// Remembers the (identity, nonce) pairs of recent requests so that a replayed request is
/// refused.
///
/// A signed request is accepted while its timestamp is within `window` seconds of the server
/// clock, so a pair must be remembered for up to `2 × window` seconds. The cache keeps two
/// generations of at least that age each and drops the older one as time moves on: memory is
/// bounded by the request rate, and lookups are a hash probe.
final class NonceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Set<String> = []
    private var previous: Set<String> = []
    private var generationStart: Int64
    private let generationLength: Int64

    init(window: Int64, now: Int64) {
        self.generationLength = 2 * window
        self.generationStart = now
    }

    /// Records the pair; false when it was already seen (a replay).
    func insert(identity: String, nonce: String, now: Int64) -> Bool {
        let key = identity + ":" + nonce
        lock.lock()
        defer { lock.unlock() }
        if now - generationStart >= generationLength {
            if now - generationStart >= 2 * generationLength {
                previous.removeAll()
            } else {
                previous = current
            }
            current = []
            generationStart = now
        }
        if previous.contains(key) { return false }
        return current.insert(key).inserted
    }

    /// The number of remembered pairs.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return current.count + previous.count
    }
}
