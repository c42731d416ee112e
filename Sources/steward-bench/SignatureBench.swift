import ArgumentParser
import Crypto
import Foundation
import StewardCore

/// `steward-bench signatures`: Ed25519 request-signature verification, the server's table-based
/// verifier beside swift-crypto's (BoringSSL) on the same requests, and signing for scale.
struct SignatureBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "Measure Ed25519 verification: Steward's per-key tables against swift-crypto (BoringSSL).",
        discussion: """
            Signs --count canonical request strings with --keys identities, then measures on one core:
              swift-crypto verify   Curve25519.Signing.PublicKey.isValidSignature (BoringSSL)
              Steward verify        Ed25519Verifier (per-key tables after the second signature)
              swift-crypto sign     for scale: the client's cost per request
            Every verdict is checked to be true.

            EXAMPLE:
              swift build -c release --product steward-bench
              .build/release/steward-bench signatures
            """
    )

    @Option(help: "Number of signed messages.")
    var count = 2_000

    @Option(help: "Number of distinct signing keys.")
    var keys = 4

    @Option(help: "Minimum seconds to measure each figure.")
    var seconds = 2.0

    func validate() throws {
        if count < 1 || keys < 1 || seconds <= 0 { throw ValidationError("--count, --keys and --seconds must be positive") }
    }

    func run() throws {
        let identities = (0..<keys).map { _ in Curve25519.Signing.PrivateKey() }
        let messages: [(signature: [UInt8], message: [UInt8], key: [UInt8])] = try (0..<count).map { index in
            let identity = identities[index % keys]
            let text = RequestSigning.canonicalString(
                method: "GET", pathAndQuery: "/api/v1/namespaces/default/services/web-\(index)", timestamp: 1_790_000_000,
                nonce: RequestSigning.makeNonce(), bodySHA256Hex: RequestSigning.sha256Hex([UInt8]()))
            let message = Array(text.utf8)
            return (Array(try identity.signature(for: message)), message, Array(identity.publicKey.rawRepresentation))
        }
        let publicKeys = identities.map(\.publicKey)
        let verifier = Ed25519Verifier()
        // Two signatures by each key earn it a table, built in the background: build them first.
        for item in messages.prefix(2 * keys) { _ = verifier.isValidSignature(item.signature, of: item.message, publicKey: item.key) }
        verifier.waitForPendingTables()

        let general = measure {
            for (index, item) in messages.enumerated() where !publicKeys[index % keys].isValidSignature(item.signature, for: item.message) {
                fatalError("swift-crypto refused signature \(index)")
            }
        }
        let tables = measure {
            for (index, item) in messages.enumerated() where !verifier.isValidSignature(item.signature, of: item.message, publicKey: item.key) {
                fatalError("Ed25519Verifier refused signature \(index)")
            }
        }
        let signing = measure {
            for (index, item) in messages.enumerated() {
                _ = try? identities[index % keys].signature(for: item.message)
            }
        }
        print("Ed25519, \(count) request strings by \(keys) keys, one core")
        print("")
        let rows = [("swift-crypto verify (BoringSSL)", general), ("Steward verify (per-key tables)", tables), ("swift-crypto sign", signing)]
        for (name, perSecond) in rows {
            print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
                + String(format: "%10.0f /s  %7.1f µs", perSecond, 1e6 / perSecond))
        }
        print("")
        print(String(format: "Steward verify / swift-crypto verify: %.2fx", tables / general))
    }

    /// Runs `pass` (one pass over all messages) until `seconds` have passed; messages per second.
    private func measure(_ pass: () -> Void) -> Double {
        pass()  // warm-up (and the verifier's tables)
        let clock = ContinuousClock()
        let start = clock.now
        var passes = 0
        while true {
            pass()
            passes += 1
            let elapsed = clock.now - start
            let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if secondsElapsed >= seconds { return Double(passes * count) / secondsElapsed }
        }
    }
}
