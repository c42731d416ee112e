import StewardCore
import Testing

@testable import StewardServer

@Suite("Nonce cache")
struct NonceCacheTests {
    let alice = Identity.generate().id
    let bob = Identity.generate().id

    @Test func refusesASecondUseWithinTheWindow() {
        let cache = NonceCache(window: 300, now: 0)
        let nonce = RequestSigning.makeNonce()
        #expect(cache.insert(identity: alice, nonce: nonce, now: 10))
        #expect(!cache.insert(identity: alice, nonce: nonce, now: 11))
        // Another identity may use the same nonce.
        #expect(cache.insert(identity: bob, nonce: nonce, now: 12))
        // Still refused after one rotation (remembered for at least twice the window).
        #expect(!cache.insert(identity: alice, nonce: nonce, now: 10 + 600))
    }

    @Test func forgetsAfterTwoGenerations() {
        let cache = NonceCache(window: 300, now: 0)
        let nonce = RequestSigning.makeNonce()
        #expect(cache.insert(identity: alice, nonce: nonce, now: 0))
        for i in 0..<100 { _ = cache.insert(identity: bob, nonce: RequestSigning.makeNonce(), now: Int64(i)) }
        #expect(cache.count == 101)
        // Past 1200 s every request of then is expired by its timestamp anyway.
        #expect(cache.insert(identity: alice, nonce: nonce, now: 1300))
        #expect(cache.count == 1)
    }
}
