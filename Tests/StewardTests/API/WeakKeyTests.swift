import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

/// Public keys whose signatures can be forged: refused as members and as signers.
@Suite("API: small-order and non-canonical keys")
struct WeakKeyTests {
    /// The identity point: `R = 0100…00, S = 0` verifies for it on every message.
    static let identityPoint = "01" + String(repeating: "00", count: 31)

    /// The eight points of order dividing 8, as their canonical encodings.
    static let smallOrder = [
        identityPoint,
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    ]

    /// y = p (0 encoded above the field) and y = -1 with the sign bit of x = 0 set.
    static let nonCanonical = [
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ]

    @Test func memberAddAndNamespaceOwnerRefuseThemNamingTheField() async throws {
        try await TestServer().run { api, _ in
            for id in Self.smallOrder + Self.nonCanonical {
                let response = try await api.request(
                    .post, "/api/v1/namespaces/default/members", json: ["id": .string(id), "role": "member"])
                #expect(response.status == .badRequest, "\(id)")
                #expect(response.error?.field == "id")
                #expect(response.error?.message.hasPrefix("'\(id)' is refused as an identity id: it is ") == true, "\(response.text)")
            }
            let forged = try await api.request(
                .post, "/api/v1/namespaces/default/members", json: ["id": .string(Self.identityPoint)])
            #expect(
                forged.error?.message
                    == "'\(Self.identityPoint)' is refused as an identity id: it is a point of small order, whose signatures can be forged for any message"
            )
            let namespace = try await api.request(
                .post, "/api/v1/namespaces", json: ["name": "team-b", "owner": .string(Self.identityPoint)])
            #expect(namespace.status == .badRequest)
            #expect(namespace.error?.field == "owner")
            let members = try await api.request(.get, "/api/v1/namespaces/default/members")
            #expect(members.json["items"]?.arrayValue?.count == 1)
        }
    }

    @Test func aRequestSignedRZeroSByTheIdentityPointIsRefused() async throws {
        try await TestServer().run { api, _ in
            var headers = HTTPFields()
            let path = "/api/v1/whoami"
            let timestamp = Int64(Date().timeIntervalSince1970)
            let nonce = RequestSigning.makeNonce()
            let digest = RequestSigning.sha256Hex([UInt8]())
            let forged = [UInt8(1)] + [UInt8](repeating: 0, count: 63)
            headers[HTTPField.Name("Steward-Id")!] = Self.identityPoint
            headers[HTTPField.Name("Steward-Timestamp")!] = String(timestamp)
            headers[HTTPField.Name("Steward-Nonce")!] = nonce
            headers[HTTPField.Name("Steward-Content-SHA256")!] = digest
            headers[HTTPField.Name("Steward-Signature")!] = Data(forged).base64EncodedString()
            // swift-crypto's plain verification accepts the forgery: the key must be refused.
            let text = RequestSigning.canonicalString(
                method: "GET", pathAndQuery: path, timestamp: timestamp, nonce: nonce, bodySHA256Hex: digest)
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: Hex.decode(Self.identityPoint)!)
            #expect(key.isValidSignature(forged, for: Array(text.utf8)))
            let response = try await api.unsigned(.get, path, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(
                response.error?.message
                    == "header Steward-Id is refused: the identity \(Self.identityPoint) is a point of small order, whose signatures can be forged for any message"
            )
        }
    }

    @Test func generatedKeysAreNeverRefused() {
        for _ in 0..<64 {
            let identity = Identity.generate()
            #expect(Identity.problem(withID: identity.id) == nil)
        }
    }
}
