import Foundation
import StewardCore
import Testing

@Suite("Request signing")
struct RequestSigningTests {
    let identity = Identity.generate()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func headers(_ method: String = "POST", _ path: String = "/api/v1/namespaces/default/services", body: [UInt8]) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: RequestSigning.headers(for: identity, method: method, pathAndQuery: path, body: body, now: now)
                .map { ($0.0.lowercased(), $0.1) })
    }

    func verify(
        _ headers: [String: String], method: String = "POST", path: String = "/api/v1/namespaces/default/services",
        body: [UInt8], at: Date? = nil
    ) throws(StewardError) -> RequestSigning.Verified {
        try RequestSigning.verify(
            method: method, pathAndQuery: path, header: { headers[$0.lowercased()] }, body: body, now: at ?? now)
    }

    @Test func privateKeyHexRoundTrips() throws {
        let copy = try Identity(privateKeyHex: identity.privateKeyHex + "\n")
        #expect(copy.id == identity.id)
        #expect(identity.id.count == 64)
        #expect(identity.privateKeyHex.count == 64)
        #expect(Identity.isValidID(identity.id))
    }

    @Test func badPrivateKeyIsRefusedWithReason() {
        #expect(throws: StewardError.self) { try Identity(privateKeyHex: "abc") }
        #expect(throws: StewardError.self) { try Identity(privateKeyHex: String(repeating: "zz", count: 32)) }
    }

    @Test func canonicalStringHasTheContractsLines() {
        let text = RequestSigning.canonicalString(
            method: "get", pathAndQuery: "/api/v1/x?kind=A", timestamp: 12, nonce: "ab", bodySHA256Hex: "cd")
        #expect(text == "STEWARD-ED25519-V1\nGET\n/api/v1/x?kind=A\n12\nab\ncd")
    }

    @Test func signedRequestVerifies() throws {
        let body = Array(#"{"a":1}"#.utf8)
        let verified = try verify(headers(body: body), body: body)
        #expect(verified.id == identity.id)
        #expect(verified.timestamp == 1_800_000_000)
        #expect(verified.nonce.count == 32)
    }

    @Test func changedBodyPathOrMethodFails() throws {
        let body = Array(#"{"a":1}"#.utf8)
        let h = headers(body: body)
        #expect(throws: StewardError.self) { try verify(h, body: Array(#"{"a":2}"#.utf8)) }
        #expect(throws: StewardError.self) { try verify(h, path: "/api/v1/namespaces/other/services", body: body) }
        #expect(throws: StewardError.self) { try verify(h, method: "PUT", body: body) }
    }

    @Test func anotherIdentitysSignatureFails() throws {
        let body: [UInt8] = []
        var h = headers("GET", "/api/v1/whoami", body: body)
        h["steward-id"] = Identity.generate().id
        do {
            _ = try verify(h, method: "GET", path: "/api/v1/whoami", body: body)
            Issue.record("a signature by another key verified")
        } catch {
            #expect(error.code == .unauthenticated)
            #expect(error.message.contains("does not verify"))
        }
    }

    @Test func expiredAndFutureTimestampsFail() throws {
        let body: [UInt8] = []
        let h = headers("GET", "/api/v1/whoami", body: body)
        _ = try verify(h, method: "GET", path: "/api/v1/whoami", body: body, at: now.addingTimeInterval(299))
        for skew in [301.0, -301.0] {
            do {
                _ = try verify(h, method: "GET", path: "/api/v1/whoami", body: body, at: now.addingTimeInterval(skew))
                Issue.record("a request \(skew) s off verified")
            } catch {
                #expect(error.message.contains("expired"))
            }
        }
    }

    @Test func missingHeaderIsNamed() {
        var h = headers(body: [])
        h["steward-nonce"] = nil
        do {
            _ = try verify(h, body: [])
            Issue.record("verified without a nonce")
        } catch {
            #expect(error.message.contains("Steward-Nonce"))
        }
    }
}
