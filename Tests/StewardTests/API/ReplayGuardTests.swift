import Foundation
import StewardCore
import Testing

@testable import StewardServer

/// What a Steward server sees while it raises signer marks, counted by the store stand-in.
private actor Persisted {
    var writes: [[String: Int64]] = []
    var forgets: [Int64] = []
    func record(_ marks: [String: Int64], _ forgetBelow: Int64?) {
        writes.append(marks)
        if let forgetBelow { forgets.append(forgetBelow) }
    }
}

@Suite("Replay protection across restarts")
struct ReplayGuardTests {
    let alice = Identity.generate().id
    let bob = Identity.generate().id

    @Test func theRuleRefusesWhatMayHaveBeenActedOnBeforeTheRestart() {
        var marks = SignerWatermarks(stored: [alice: 1_000])
        #expect(marks.verdict(identity: alice, timestamp: 999) == .olderThanRestart(mark: 1_000))
        #expect(marks.verdict(identity: alice, timestamp: 1_000) == .olderThanRestart(mark: 1_000))
        #expect(marks.verdict(identity: alice, timestamp: 1_001) == .raise)
        // Another identity's mark does not touch alice's, nor the other way round.
        #expect(marks.verdict(identity: bob, timestamp: 500) == .raise)
        marks.raised(identity: alice, to: 1_005)
        #expect(marks.verdict(identity: alice, timestamp: 1_003) == .accept)
        #expect(marks.verdict(identity: alice, timestamp: 1_005) == .accept)
        #expect(marks.verdict(identity: alice, timestamp: 1_006) == .raise)
        // A mark never goes down.
        marks.raised(identity: alice, to: 1_002)
        #expect(marks.verdict(identity: alice, timestamp: 1_005) == .accept)
        // Past the window the marks are forgotten: their requests have expired anyway.
        #expect(marks.count == 1)
        marks.forget(below: 1_006)
        #expect(marks.verdict(identity: alice, timestamp: 1_000) == .raise)
        #expect(marks.count == 0)
    }

    @Test func requestsOfOneSecondShareOneWriteAndLaterOnesWriteNothing() async throws {
        let persisted = Persisted()
        let guardian = ReplayGuard(stored: [:], window: 300, now: 10_000) { marks, forget in
            try await Task.sleep(for: .milliseconds(20))
            await persisted.record(marks, forget)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask { try await guardian.admit(identity: alice, timestamp: 10_000, now: 10_000) }
            }
            group.addTask { try await guardian.admit(identity: bob, timestamp: 10_000, now: 10_000) }
            try await group.waitForAll()
        }
        #expect(await persisted.writes.count == 2)
        // At or below the durable mark: no write.
        try await guardian.admit(identity: alice, timestamp: 9_990, now: 10_000)
        try await guardian.admit(identity: alice, timestamp: 10_000, now: 10_000)
        #expect(await persisted.writes.count == 2)
        // The next second raises again; once a window has passed, old marks go with it.
        try await guardian.admit(identity: alice, timestamp: 10_301, now: 10_301)
        #expect(await persisted.writes.last == [alice: 10_301])
        #expect(await persisted.forgets == [10_001])
        #expect(guardian.count == 1)
    }

    @Test func marksOfIdentitiesThatAreNoMembersAreStoredButNotKept() async throws {
        let persisted = Persisted()
        let member = alice
        let guardian = ReplayGuard(stored: [:], window: 300, now: 10_000, remembers: { $0 == member }) { marks, forget in
            await persisted.record(marks, forget)
        }
        for _ in 0..<3 {
            try await guardian.admit(identity: alice, timestamp: 10_000, now: 10_000)
            try await guardian.admit(identity: bob, timestamp: 10_000, now: 10_000)
        }
        // Bob's mark is raised before each of his requests goes on, and memory holds alice's only.
        #expect(await persisted.writes == [[alice: 10_000], [bob: 10_000], [bob: 10_000], [bob: 10_000]])
        #expect(guardian.count == 1)
    }

    @Test func aRequestAtOrBelowTheStoredMarkIsRefusedAndNamesTheHeaderToSignAgain() async throws {
        let guardian = ReplayGuard(stored: [alice: 10_000], window: 300, now: 10_002) { _, _ in }
        await #expect(
            throws: StewardError(
                .unauthenticated,
                "the request is older than the server's restart: it was signed at 9999, and requests of this identity signed up to 10000 may have been acted on before the restart; sign it again",
                field: "Steward-Timestamp")
        ) {
            try await guardian.admit(identity: alice, timestamp: 9_999, now: 10_002)
        }
        try await guardian.admit(identity: alice, timestamp: 10_001, now: 10_002)
    }

    @Test func aFailedRaiseFailsTheRequestAndTheNextOneTriesAgain() async throws {
        struct DiskFull: Error {}
        let failures = Persisted()
        let guardian = ReplayGuard(stored: [:], window: 300, now: 10_000) { marks, forget in
            await failures.record(marks, forget)
            if await failures.writes.count == 1 { throw DiskFull() }
        }
        await #expect(throws: StewardError.self) {
            try await guardian.admit(identity: alice, timestamp: 10_000, now: 10_000)
        }
        try await guardian.admit(identity: alice, timestamp: 10_000, now: 10_000)
        #expect(await failures.writes.count == 2)
    }
}
