import Crypto
import Foundation

/// An Ed25519 key pair that signs requests.
///
/// The private key's text form is the lower-case hex of its 32-byte raw representation; the
/// identity's ``id`` is the lower-case hex of the 32-byte public key. The server stores ids
/// only.
public struct Identity: Sendable {
    /// The signing key.
    public let privateKey: Curve25519.Signing.PrivateKey

    /// The public identity: lower-case hex of the public key (64 characters).
    public let id: String

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
        self.id = Hex.encode(privateKey.publicKey.rawRepresentation)
    }

    /// Reads a private key from its hex text (64 hex digits; surrounding whitespace is ignored,
    /// so the contents of a key file can be passed as they are).
    public init(privateKeyHex: String) throws(StewardError) {
        let text = privateKeyHex.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count == 64, let raw = Hex.decode(text) else {
            throw .invalidInput(
                "a private key must be 64 hexadecimal characters (32 bytes); got \(text.utf8.count) characters")
        }
        do {
            self.init(privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        } catch {
            throw .invalidInput("the private key is not a valid Ed25519 key: \(error)")
        }
    }

    /// A new random identity, never one whose public key ``problem(withID:)`` refuses.
    public static func generate() -> Identity {
        while true {
            let identity = Identity(privateKey: Curve25519.Signing.PrivateKey())
            if problem(withID: identity.id) == nil { return identity }
        }
    }

    /// The private key as lower-case hex (64 characters): the text of a key file.
    public var privateKeyHex: String {
        Hex.encode(privateKey.rawRepresentation)
    }

    /// The Ed25519 signature of `data` (64 bytes).
    public func sign(_ data: some DataProtocol) -> [UInt8] {
        // Signing with a valid key does not fail; swift-crypto's API is throwing for other
        // algorithms' sake.
        guard let signature = try? privateKey.signature(for: data) else {
            preconditionFailure("Ed25519 signing failed with a valid key")
        }
        return Array(signature)
    }

    /// True when `signature` is a valid signature of `data` by the identity `id` (hex public key).
    public static func isValidSignature(_ signature: [UInt8], of data: some DataProtocol, by id: String) -> Bool {
        guard id.utf8.count == 64, let raw = Hex.decode(id),
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { return false }
        return publicKey.isValidSignature(signature, for: data)
    }

    /// True when `id` is a usable identity id: see ``problem(withID:)``.
    public static func isValidID(_ id: String) -> Bool {
        problem(withID: id) == nil
    }

    /// Why `id` cannot be an identity, as a phrase to follow "the id ...", or nil when it can.
    ///
    /// An id is the hex of an Ed25519 public key: 64 lower-case hex characters, the canonical
    /// encoding of a curve point (y below p; x = 0 not marked negative), and not a point of small
    /// order (the identity and the other seven points of order dividing 8, for which signatures
    /// can be forged: with the identity `0100…00`, `R = 0100…00, S = 0` verifies for every
    /// message).
    public static func problem(withID id: String) -> String? {
        guard id.utf8.count == 64, isLowerCaseHex(id), let raw = Hex.decode(id) else {
            return "is not 64 lower-case hexadecimal characters (the id that `steward key generate` prints)"
        }
        return problem(withPublicKey: raw)
    }

    /// True when `text` holds only the digits 0-9 and a-f.
    static func isLowerCaseHex(_ text: String) -> Bool {
        text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// ``problem(withID:)`` for the 32 bytes of a public key.
    static func problem(withPublicKey raw: [UInt8]) -> String? {
        guard let point = Ed25519Point(decoding: raw) else {
            return "is not the canonical encoding of an Ed25519 public key"
        }
        if point.hasSmallOrder {
            return "is a point of small order, whose signatures can be forged for any message"
        }
        return nil
    }
}
