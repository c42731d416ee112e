import Crypto
import Foundation

/// Signing and verification of API requests (scheme `STEWARD-ED25519-V1`).
///
/// The signer sends five headers (``HeaderName``). The signature is Ed25519 over the canonical
/// string: the lines `STEWARD-ED25519-V1`, the upper-case method, the path and query exactly as
/// on the request line, the unix timestamp in seconds, the nonce, and the hex SHA-256 of the
/// body, joined by `\n` with no trailing newline.
public enum RequestSigning {
    /// The first line of every canonical string.
    public static let scheme = "STEWARD-ED25519-V1"

    /// How far (in seconds) a request's timestamp may be from the verifier's clock.
    public static let defaultMaxClockSkew: Int64 = 300

    /// The names of the signing headers.
    public enum HeaderName {
        public static let id = "Steward-Id"
        public static let timestamp = "Steward-Timestamp"
        public static let nonce = "Steward-Nonce"
        public static let contentSHA256 = "Steward-Content-SHA256"
        public static let signature = "Steward-Signature"
    }

    /// A request whose signature verified.
    public struct Verified: Sendable, Equatable {
        /// The signer's identity id.
        public var id: String
        /// The signer's unix timestamp in seconds.
        public var timestamp: Int64
        /// The signer's nonce; the verifier must refuse a second request with the same
        /// (id, nonce) within the clock-skew window.
        public var nonce: String
    }

    /// The text that is signed.
    public static func canonicalString(
        method: String, pathAndQuery: String, timestamp: Int64, nonce: String, bodySHA256Hex: String
    ) -> String {
        [scheme, method.uppercased(), pathAndQuery, String(timestamp), nonce, bodySHA256Hex]
            .joined(separator: "\n")
    }

    /// The SHA-256 of an empty body (GET and DELETE requests), computed once.
    static let emptyBodySHA256Hex = Hex.encode(SHA256.hash(data: [UInt8]()))

    /// Lower-case hex SHA-256 of `body`.
    public static func sha256Hex(_ body: some DataProtocol) -> String {
        body.isEmpty ? emptyBodySHA256Hex : Hex.encode(SHA256.hash(data: body))
    }

    /// A new random nonce: 16 random bytes as 32 hex characters.
    public static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next(), low = generator.next()
        return Hex.encode((0..<16).map { index in UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> (8 * UInt64(index % 8))) })
    }

    /// The five headers that sign a request from `identity`.
    ///
    /// - Parameters:
    ///   - pathAndQuery: the request target exactly as it will be sent, such as
    ///     `/api/v1/namespaces/default/services?kind=Database`.
    ///   - body: the body bytes (empty for GET and DELETE).
    ///   - now: the signer's clock.
    public static func headers(
        for identity: Identity, method: String, pathAndQuery: String, body: [UInt8], now: Date = Date()
    ) -> [(String, String)] {
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        let nonce = makeNonce()
        let digest = sha256Hex(body)
        let text = canonicalString(
            method: method, pathAndQuery: pathAndQuery, timestamp: timestamp, nonce: nonce, bodySHA256Hex: digest)
        let signature = Data(identity.sign(Array(text.utf8))).base64EncodedString()
        return [
            (HeaderName.id, identity.id),
            (HeaderName.timestamp, String(timestamp)),
            (HeaderName.nonce, nonce),
            (HeaderName.contentSHA256, digest),
            (HeaderName.signature, signature),
        ]
    }

    /// Checks a request's signature headers.
    ///
    /// This is pure: it checks the headers' presence and form, the body digest, the clock skew
    /// and the signature. Refusing a replayed nonce needs memory and is the caller's job
    /// (see ``Verified/nonce``).
    ///
    /// - Parameters:
    ///   - header: looks up a header value by name (case-insensitively).
    ///   - verifier: checks the Ed25519 signature (``Ed25519Verifier/shared`` keeps per-key tables;
    ///     a server passes one that builds tables for its members only).
    /// - Throws: ``StewardError`` with code `unauthenticated` and a message naming the problem.
    public static func verify(
        method: String,
        pathAndQuery: String,
        header: (String) -> String?,
        body: [UInt8],
        now: Date,
        maxClockSkew: Int64 = defaultMaxClockSkew,
        verifier: Ed25519Verifier = .shared
    ) throws(StewardError) -> Verified {
        func required(_ name: String) throws(StewardError) -> String {
            guard let value = header(name), !value.isEmpty else {
                throw .unauthenticated("the request is not signed: header \(name) is missing")
            }
            return value
        }
        let id = try required(HeaderName.id)
        let timestampText = try required(HeaderName.timestamp)
        let nonce = try required(HeaderName.nonce)
        let digest = try required(HeaderName.contentSHA256)
        let signatureText = try required(HeaderName.signature)

        // Lower case only: one spelling per identity, so that the nonce cache, the replay marks
        // and the memberships all see the same identity.
        guard id.utf8.count == 64, Identity.isLowerCaseHex(id), let publicKey = Hex.decode(id) else {
            throw .unauthenticated(
                "header \(HeaderName.id) is not an identity id (64 lower-case hex characters of an Ed25519 public key)")
        }
        guard let timestamp = Int64(timestampText) else {
            throw .unauthenticated("header \(HeaderName.timestamp) must be unix seconds, got '\(timestampText)'")
        }
        let serverNow = Int64(now.timeIntervalSince1970.rounded(.down))
        // Any Int64 may arrive here: a difference past Int64's range is simply too far away.
        let (difference, overflow) = timestamp.subtractingReportingOverflow(serverNow)
        let skew = overflow ? UInt64.max : difference.magnitude
        guard skew <= maxClockSkew.magnitude else {
            throw .unauthenticated(
                "the request has expired: its timestamp is \(skew) s away from the server clock (at most \(maxClockSkew) s allowed); check the clock"
            )
        }
        guard nonce.utf8.count >= 16, nonce.utf8.count <= 128, nonce.utf8.count % 2 == 0,
            nonce.utf8.allSatisfy({ Hex.value(of: $0) != nil })
        else {
            throw .unauthenticated("header \(HeaderName.nonce) must be 16 to 128 hex characters")
        }
        guard digest == sha256Hex(body) else {
            throw .unauthenticated("header \(HeaderName.contentSHA256) does not match the SHA-256 of the body (lower-case hex expected)")
        }
        guard let signature = Data(base64Encoded: signatureText).map(Array.init), signature.count == 64 else {
            throw .unauthenticated("header \(HeaderName.signature) must be a base64 Ed25519 signature (64 bytes)")
        }
        let text = canonicalString(
            method: method, pathAndQuery: pathAndQuery, timestamp: timestamp, nonce: nonce, bodySHA256Hex: digest)
        guard verifier.isValidSignature(signature, of: Array(text.utf8), publicKey: publicKey) else {
            if let problem = Identity.problem(withPublicKey: publicKey) {
                throw .unauthenticated("header \(HeaderName.id) is refused: the identity \(id) \(problem)")
            }
            throw .unauthenticated("the request signature does not verify for identity \(id)")
        }
        return Verified(id: id, timestamp: timestamp, nonce: nonce)
    }
}
