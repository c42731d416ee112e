import Foundation
import StewardCore

/// Remembers the (identity, nonce) pairs of recent requests so that a replayed request is
/// refused.
///
/// A signed request is accepted while its timestamp is within `window` seconds of the server
/// clock, so a pair must be remembered for up to `2 × window` seconds. The cache keeps two
/// generations of at least that age each and drops the older one as time moves on: memory is
/// bounded by the request rate, and lookups are a hash probe.
final class NonceCache: @unchecked Sendable {
    /// A compact key: 8 bytes of the identity and the nonce folded to 16 bytes. Identities are
    /// 32-byte public keys and nonces carry at least 8 random bytes, so distinct requests do not
    /// collide in practice; a collision could only refuse a request, never accept a replay.
    struct Key: Hashable {
        var identity: UInt64
        var nonceHigh: UInt64
        var nonceLow: UInt64

        init(identity: String, nonce: String) {
            /// XORs the bytes that the hex text spells into 16 bytes, without allocating. (The
            /// verifier has checked that it is hex; a pair that is not is taken as its two
            /// characters XORed, so odd input still folds deterministically.)
            func fold(_ hex: Substring.UTF8View) -> (UInt64, UInt64) {
                var words: (UInt64, UInt64) = (0, 0)
                var index = 0
                var iterator = hex.makeIterator()
                while let first = iterator.next() {
                    let second = iterator.next() ?? 0
                    let byte: UInt8
                    if let high = Hex.value(of: first), let low = Hex.value(of: second) {
                        byte = high << 4 | low
                    } else {
                        byte = first ^ second
                    }
                    let shift = UInt64(8 * (7 - index % 8))
                    if index % 16 < 8 { words.0 ^= UInt64(byte) << shift } else { words.1 ^= UInt64(byte) << shift }
                    index += 1
                }
                return words
            }
            self.identity = fold(identity.prefix(16).utf8).0
            (self.nonceHigh, self.nonceLow) = fold(nonce[...].utf8)
        }
    }

    private let lock = NSLock()
    private var current: Set<Key> = []
    private var previous: Set<Key> = []
    private var generationStart: Int64
    private let generationLength: Int64

    init(window: Int64, now: Int64) {
        self.generationLength = 2 * window
        self.generationStart = now
    }

    /// Records the pair; false when it was already seen (a replay).
    func insert(identity: String, nonce: String, now: Int64) -> Bool {
        let key = Key(identity: identity, nonce: nonce)
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
