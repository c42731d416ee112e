import Crypto
import Foundation

/// Verifies Ed25519 signatures (RFC 8032), fast for public keys it has seen before.
///
/// A server verifies one signature per request, nearly always from a handful of keys. The
/// general verification (swift-crypto's BoringSSL) decodes the key and runs a double scalar
/// multiplication with about 250 point doublings every time. This verifier keeps, for each key
/// whose signature verified once, a table of precomputed multiples of the key (and one of the
/// base point), so that the check `[S]B - [k]A == R` takes 64 point additions and no doublings:
/// about a fifth of the work.
///
/// It accepts exactly the signatures BoringSSL's `ED25519_verify` accepts: `S` must be below the
/// group order, `k = SHA-512(R || A || M) mod L`, and the canonical encoding of `[S]B - [k]A`
/// must equal the signature's `R` bytes. Keys with a non-canonical encoding never get a table
/// and always take the general path.
///
/// Tables take about 480 KiB each; at most `capacity` keys are kept (a random one is dropped to
/// make room), 30 MiB with the default capacity. A table is built only after a signature by
/// that key verified on the general path, so requests with made-up keys cannot fill the cache.
public final class Ed25519Verifier: @unchecked Sendable {
    /// A verifier shared by the process.
    public static let shared = Ed25519Verifier()

    /// The base point's table (width 8: 32 additions per multiplication), built on first use.
    static let baseTable = Ed25519FixedBaseTable(point: .base, width: 8)

    /// The width of per-key tables: 8 (32 additions, 480 KiB) measured about 15% faster per
    /// verification than 5 (51 additions, 96 KiB) with a few hot keys.
    static let keyTableWidth = 8

    private enum Entry {
        case table(Ed25519FixedBaseTable)
        /// The key decodes only leniently (or not at all): always verify on the general path.
        case general
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private let capacity: Int

    /// - Parameter capacity: how many keys' tables to keep.
    public init(capacity: Int = 64) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// True when `signature` (64 bytes) is a valid Ed25519 signature of `message` by
    /// `publicKey` (32 bytes).
    public func isValidSignature(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, publicKey.count == 32 else { return false }
        let key = Key(publicKey)
        lock.lock()
        let entry = entries[key]
        lock.unlock()
        switch entry {
        case .table(let table):
            return Self.verify(signature, of: message, publicKey: publicKey, table: table)
        case .general:
            return Self.generalVerify(signature, of: message, publicKey: publicKey)
        case nil:
            guard Self.generalVerify(signature, of: message, publicKey: publicKey) else { return false }
            let learned: Entry = Ed25519Point(decoding: publicKey).map {
                .table(Ed25519FixedBaseTable(point: $0, width: Self.keyTableWidth))
            } ?? .general
            lock.lock()
            if entries.count >= capacity, let victim = entries.keys.randomElement() {
                entries[victim] = nil
            }
            entries[key] = learned
            lock.unlock()
            return true
        }
    }

    /// The number of keys with a remembered entry.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    /// swift-crypto's verification.
    static func generalVerify(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// The table-based check of `signature` for the key whose table is `table`.
    static func verify(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8], table: Ed25519FixedBaseTable) -> Bool {
        // BoringSSL refuses the three top bits of S before comparing S with L; S < L implies it.
        guard let s = Ed25519Scalar(canonical: signature[32..<64]) else { return false }
        var hasher = SHA512()
        hasher.update(data: signature[0..<32])
        hasher.update(data: publicKey)
        hasher.update(data: message)
        let k = Ed25519Scalar(reducing: Array(hasher.finalize()))
        var point = Ed25519Point.identity
        baseTable.accumulate(s, into: &point, subtract: false)
        table.accumulate(k, into: &point, subtract: true)
        return point.encoded().elementsEqual(signature[0..<32])
    }

    /// A public key as a dictionary key.
    private struct Key: Hashable {
        var a: UInt64, b: UInt64, c: UInt64, d: UInt64

        init(_ bytes: [UInt8]) {
            func word(_ index: Int) -> UInt64 {
                var value: UInt64 = 0
                for offset in 0..<8 { value = value << 8 | UInt64(bytes[index * 8 + offset]) }
                return value
            }
            (a, b, c, d) = (word(0), word(1), word(2), word(3))
        }
    }
}
