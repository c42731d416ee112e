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
            func fold(_ hex: String) -> [UInt8] {
                var out = [UInt8](repeating: 0, count: 16)
                for (i, byte) in (Hex.decode(hex) ?? Array(hex.utf8)).enumerated() { out[i % 16] ^= byte }
                return out
            }
            func word(_ bytes: ArraySlice<UInt8>) -> UInt64 {
                bytes.reduce(0) { $0 << 8 | UInt64($1) }
            }
            let id = fold(String(identity.prefix(16)))
            let n = fold(nonce)
            self.identity = word(id[0..<8])
            self.nonceHigh = word(n[0..<8])
            self.nonceLow = word(n[8..<16])
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
