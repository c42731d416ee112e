import Crypto
import Foundation

/// Verifies Ed25519 signatures (RFC 8032), fast for public keys it has seen before.
///
/// A server verifies one signature per request, nearly always from a handful of keys. The
/// general verification (swift-crypto's BoringSSL) decodes the key and runs a double scalar
/// multiplication with about 250 point doublings every time. This verifier keeps, for keys that
/// sign often, a table of precomputed multiples of the key (and one of the base point), so that
/// the check `[S]B - [k]A == R` takes 64 point additions and no doublings: about a fifth of the
/// work.
///
/// It refuses every signature by a key that is not the canonical encoding of a curve point or
/// that has small order (see ``Identity/problem(withID:)``: signatures by such keys can be
/// forged). For other keys it accepts exactly the signatures BoringSSL's `ED25519_verify`
/// accepts: `S` must be below the group order, `k = SHA-512(R || A || M) mod L`, and the
/// canonical encoding of `[S]B - [k]A` must equal the signature's `R` bytes.
///
/// A table costs about 480 KiB and as much CPU as some twenty general verifications, so it is
/// built only for keys that `buildsTable` accepts (a server accepts the members of its
/// namespaces) and only once `tableAfter` signatures by the key verified on the general path:
/// requests signed with made-up keys cost one general verification each and nothing more. At
/// most `capacity` tables are kept (a random one is dropped to make room), 30 MiB with the
/// default capacity.
///
/// Tables are built in the background, one at a time, by one thread shared by every verifier
/// of the process (``TableBuilder``), at the lowest CPU priority (nice 19): the request whose
/// signature earns a key its table does not wait for it (it and those after it verify on the
/// general path until the table is there), building never holds a thread of Swift's
/// cooperative pool, whose few threads (one per core) serve every request, and it takes only
/// the CPU that requests leave. In a debug build one table takes seconds of CPU; with many
/// servers in one test process, building them on the pool stalled every server for tens of
/// seconds.
public final class Ed25519Verifier: @unchecked Sendable {
    /// A verifier shared by the process: tables for every key, after two verified signatures.
    public static let shared = Ed25519Verifier()

    /// The base point's table (width 8: 32 additions per multiplication), built on first use.
    static let baseTable = Ed25519FixedBaseTable(point: .base, width: 8)

    /// The width of per-key tables: 8 (32 additions, 480 KiB) measured about 15% faster per
    /// verification than 5 (51 additions, 96 KiB) with a few hot keys.
    static let keyTableWidth = 8

    /// Builds the tables of every verifier, one at a time, below the priority of requests.
    static let builder = TableBuilder()

    private let lock = NSLock()
    private var tables: [Key: Ed25519FixedBaseTable] = [:]
    /// Keys whose table ``builder`` is building or will build.
    private var building: Set<Key> = []
    /// Keys that `buildsTable` accepted, with how many of their signatures verified so far.
    private var seen: [Key: Int] = [:]
    private let capacity: Int
    private let tableAfter: Int
    private let buildsTable: @Sendable (_ publicKey: [UInt8]) -> Bool

    /// - Parameters:
    ///   - capacity: how many keys' tables to keep.
    ///   - tableAfter: how many signatures by a key verify on the general path before its table
    ///     is built (at least 1).
    ///   - buildsTable: whether a key may get a table at all; asked only after a signature by
    ///     the key verified.
    public init(
        capacity: Int = 64, tableAfter: Int = 2, buildsTable: @escaping @Sendable (_ publicKey: [UInt8]) -> Bool = { _ in true }
    ) {
        precondition(capacity > 0 && tableAfter > 0)
        self.capacity = capacity
        self.tableAfter = tableAfter
        self.buildsTable = buildsTable
    }

    /// True when `signature` (64 bytes) is a valid Ed25519 signature of `message` by
    /// `publicKey` (32 bytes).
    public func isValidSignature(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, publicKey.count == 32 else { return false }
        let key = Key(publicKey)
        lock.lock()
        let table = tables[key]
        lock.unlock()
        if let table {
            return Self.verify(signature, of: message, publicKey: publicKey, table: table)
        }
        guard let point = Ed25519Point(decoding: publicKey), !point.hasSmallOrder,
            Self.generalVerify(signature, of: message, publicKey: publicKey)
        else { return false }
        guard buildsTable(publicKey) else { return true }
        lock.lock()
        let count = (seen[key] ?? 0) + 1
        let build = count >= tableAfter && tables[key] == nil && !building.contains(key)
        if build {
            seen[key] = nil
            building.insert(key)
        } else {
            // Only keys `buildsTable` accepts are counted; should they be many, start over.
            if seen.count >= 4 * capacity { seen.removeAll() }
            seen[key] = count
        }
        lock.unlock()
        guard build else { return true }
        Self.builder.submit { [self] in
            _ = Self.baseTable
            let built = Ed25519FixedBaseTable(point: point, width: Self.keyTableWidth)
            lock.lock()
            if tables.count >= capacity, let victim = tables.keys.randomElement() {
                tables[victim] = nil
            }
            tables[key] = built
            building.remove(key)
            lock.unlock()
        }
        return true
    }

    /// Returns once the tables asked for so far are built (for benchmarks).
    public func waitForPendingTables() {
        let done = DispatchSemaphore(value: 0)
        Self.builder.submit { done.signal() }
        done.wait()
    }

    /// Returns once the tables asked for so far are built, without blocking a thread.
    public func pendingTablesBuilt() async {
        await withCheckedContinuation { continuation in Self.builder.submit { continuation.resume() } }
    }

    /// The number of keys with a table.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return tables.count
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
