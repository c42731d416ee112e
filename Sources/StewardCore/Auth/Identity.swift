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

    /// A new random identity.
    public static func generate() -> Identity {
        Identity(privateKey: Curve25519.Signing.PrivateKey())
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

    /// True when `id` has the form of an identity id (64 hex digits that decode to a public key).
    public static func isValidID(_ id: String) -> Bool {
        guard id.utf8.count == 64, let raw = Hex.decode(id) else { return false }
        return (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
    }
}
