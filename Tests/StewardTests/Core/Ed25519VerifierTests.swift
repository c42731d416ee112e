import Crypto
import Foundation
import Testing

@testable import StewardCore

/// The table-based verifier must accept exactly what swift-crypto (BoringSSL) accepts.
@Suite("Ed25519 verification")
struct Ed25519VerifierTests {
    private func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex)! }

    @Test("RFC 8032 test vectors verify on both paths")
    func rfcVectors() throws {
        let vectors: [(key: String, message: String, signature: String)] = [
            (
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            ),
            (
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
            ),
        ]
        for vector in vectors {
            let key = bytes(vector.key), message = bytes(vector.message), signature = bytes(vector.signature)
            #expect(Ed25519Verifier.generalVerify(signature, of: message, publicKey: key))
            let table = Ed25519FixedBaseTable(point: try #require(Ed25519Point(decoding: key)), width: 5)
            #expect(Ed25519Verifier.verify(signature, of: message, publicKey: key, table: table))
            var wrong = message
            wrong.append(0)
            #expect(!Ed25519Verifier.verify(signature, of: wrong, publicKey: key, table: table))
        }
    }

    @Test("the field and point arithmetic agree with the curve's definition")
    func arithmetic() throws {
        let base = Ed25519Point.base
        // The base point lies on -x^2 + y^2 = 1 + d x^2 y^2.
        let xx = base.x.squared(), yy = base.y.squared()
        #expect(yy - xx == .one + Ed25519Point.d * xx * yy)
        #expect(Ed25519Point.sqrtMinusOne.squared() == -Ed25519FieldElement.one)
        let five = Ed25519FieldElement(5)
        #expect(five * five.inverted() == .one)
        // 2B by doubling equals B + B by addition.
        #expect(base.doubled().encoded() == base.adding(base).encoded())
        // Encoding round-trips.
        let encoded = base.doubled().adding(base).encoded()
        #expect(try #require(Ed25519Point(decoding: encoded)).encoded() == encoded)
    }

    @Test("a 64-byte value reduces modulo the group order")
    func scalarReduction() {
        // L reduces to zero and L + 1 to one; general values are covered by the signatures of
        // the differential test.
        var order = [UInt8](repeating: 0, count: 64)
        let orderBytes = bytes("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
        order.replaceSubrange(0..<32, with: orderBytes)
        let zero = Ed25519Scalar(reducing: order)
        #expect([zero.w0, zero.w1, zero.w2, zero.w3] == [0, 0, 0, 0])
        order[0] &+= 1
        let one = Ed25519Scalar(reducing: order)
        #expect([one.w0, one.w1, one.w2, one.w3] == [1, 0, 0, 0])
        #expect(Ed25519Scalar(canonical: orderBytes[...]) == nil)
        var belowOrder = orderBytes
        belowOrder[0] -= 1
        #expect(Ed25519Scalar(canonical: belowOrder[...]) != nil)
    }

    @Test("random keys, messages and corruptions: the same verdict as swift-crypto")
    func differential() async throws {
        // CPU-bound for seconds in a debug build: on a thread of its own, so that it never holds
        // one of the cooperative pool's threads (two on a two-core machine) that the in-process
        // servers of other tests need. It returns what disagreed; the test expects nothing.
        let disagreements = try await Blocking.run { try Self.differentialRounds(32) }
        #expect(disagreements == [])
    }

    /// `rounds` random keys, each with 8 random messages, their signatures, one-bit corruptions
    /// and an S + L malleation: a description of each verdict that is wrong.
    static func differentialRounds(_ rounds: Int) throws -> [String] {
        var generator = SystemRandomNumberGenerator()
        let verifier = Ed25519Verifier(capacity: 8)
        var wrong: [String] = []
        func check(_ holds: Bool, _ what: @autoclosure () -> String) { if !holds { wrong.append(what()) } }
        for round in 0..<rounds {
            let privateKey = Curve25519.Signing.PrivateKey()
            let publicKey = Array(privateKey.publicKey.rawRepresentation)
            guard let point = Ed25519Point(decoding: publicKey) else {
                wrong.append("round \(round): a public key did not decode")
                continue
            }
            let table = Ed25519FixedBaseTable(point: point, width: 5)
            for _ in 0..<8 {
                let message = (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let signature = Array(try privateKey.signature(for: message))
                check(Ed25519Verifier.verify(signature, of: message, publicKey: publicKey, table: table), "round \(round): table path refused a good signature")
                check(verifier.isValidSignature(signature, of: message, publicKey: publicKey), "round \(round): verifier refused a good signature")
                // Flip one random bit of the signature or the message.
                var badSignature = signature
                let bit = Int.random(in: 0..<512, using: &generator)
                badSignature[bit / 8] ^= 1 << UInt8(bit % 8)
                let general = Ed25519Verifier.generalVerify(badSignature, of: message, publicKey: publicKey)
                check(
                    Ed25519Verifier.verify(badSignature, of: message, publicKey: publicKey, table: table) == general,
                    "round \(round): table path and general path disagree on bit \(bit)")
                check(
                    verifier.isValidSignature(badSignature, of: message, publicKey: publicKey) == general,
                    "round \(round): verifier and general path disagree on bit \(bit)")
                if !message.isEmpty {
                    var badMessage = message
                    badMessage[Int.random(in: 0..<message.count, using: &generator)] ^= 0x40
                    check(
                        !Ed25519Verifier.verify(signature, of: badMessage, publicKey: publicKey, table: table),
                        "round \(round): a changed message verified")
                }
            }
            // S + L encodes the same residue but is not canonical: both refuse it.
            let message = Array("round \(round)".utf8)
            let signature = Array(try privateKey.signature(for: message))
            if let malleated = Self.addOrder(toS: signature) {
                check(!Ed25519Verifier.verify(malleated, of: message, publicKey: publicKey, table: table), "round \(round): malleated S verified (table)")
                check(!Ed25519Verifier.generalVerify(malleated, of: message, publicKey: publicKey), "round \(round): malleated S verified (general)")
            }
        }
        if verifier.count > 8 { wrong.append("the verifier holds \(verifier.count) tables, more than its capacity 8") }
        return wrong
    }

    @Test("tables only for keys the owner of the verifier accepts, from their second signature")
    func tablesOnlyForAcceptedKeysFromTheSecondSignature() async throws {
        let member = Curve25519.Signing.PrivateKey()
        let stranger = Curve25519.Signing.PrivateKey()
        let memberKey = Array(member.publicKey.rawRepresentation)
        let verifier = Ed25519Verifier(buildsTable: { $0 == memberKey })
        func check(_ key: Curve25519.Signing.PrivateKey, _ index: Int) throws -> Bool {
            let message = Array("request \(index)".utf8)
            return verifier.isValidSignature(
                Array(try key.signature(for: message)), of: message, publicKey: Array(key.publicKey.rawRepresentation))
        }
        // Fresh keys that are no member's cost a plain verification each and no table.
        for index in 0..<5 { #expect(try check(stranger, index)) }
        for index in 0..<5 { #expect(try check(Curve25519.Signing.PrivateKey(), index)) }
        await verifier.pendingTablesBuilt()
        #expect(verifier.count == 0)
        #expect(try check(member, 0))
        await verifier.pendingTablesBuilt()
        #expect(verifier.count == 0)
        #expect(try check(member, 1))
        // Built in the background: the second signature verified without waiting for it.
        await verifier.pendingTablesBuilt()
        #expect(verifier.count == 1)
        // On the table: good signatures verify, a wrong message does not.
        #expect(try check(member, 2))
        let signature = Array(try member.signature(for: Array("one".utf8)))
        #expect(!verifier.isValidSignature(signature, of: Array("two".utf8), publicKey: memberKey))
    }

    @Test("signatures by small-order keys never verify")
    func smallOrderKeys() {
        let identityPoint = [UInt8(1)] + [UInt8](repeating: 0, count: 31)
        let forged = [UInt8(1)] + [UInt8](repeating: 0, count: 63)
        let message = Array("any message".utf8)
        #expect(Ed25519Verifier.generalVerify(forged, of: message, publicKey: identityPoint))
        #expect(!Ed25519Verifier().isValidSignature(forged, of: message, publicKey: identityPoint))
        #expect(Identity.problem(withPublicKey: identityPoint) != nil)
    }

    @Test("keys with a non-canonical encoding never get a table")
    func nonCanonicalKeys() {
        // y = p (encodes 0 non-canonically) and y = 1 with the sign bit set (x = 0, "negative").
        var yEqualsP = [UInt8](repeating: 0xFF, count: 32)
        yEqualsP[0] = 0xED
        yEqualsP[31] = 0x7F
        #expect(Ed25519Point(decoding: yEqualsP) == nil)
        var negativeZero = [UInt8](repeating: 0, count: 32)
        negativeZero[0] = 1
        negativeZero[31] = 0x80
        #expect(Ed25519Point(decoding: negativeZero) == nil)
        negativeZero[31] = 0
        #expect(Ed25519Point(decoding: negativeZero) != nil)
    }

    /// The signature with S replaced by S + L, when that still fits in 256 bits.
    private static func addOrder(toS signature: [UInt8]) -> [UInt8]? {
        let order: [UInt8] = Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")!
        var result = signature
        var carry = 0
        for index in 0..<32 {
            let sum = Int(signature[32 + index]) + Int(order[index]) + carry
            result[32 + index] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        return carry == 0 ? result : nil
    }
}
