import JSONSchema
import StewardCore
import Testing

@Suite("Reconciliation rules: merge of pending changes, backoff, progress")
struct PendingMergeTests {
    static func service(_ replicas: Int, generation: Int = 1) -> JSON {
        .object([
            "kind": "Deployment", "metadata": .object(["name": "web", "generation": .int(generation)]),
            "spec": .object(["replicas": .int(replicas)]),
        ])
    }

    @Test func createThenUpdateStaysCreateWithNewest() {
        let outcome = PendingMerge.merge(
            waiting: Reconciliation(action: .create, old: nil, new: Self.service(1)),
            incoming: Reconciliation(action: .update, old: Self.service(1), new: Self.service(3)), everAssigned: false)
        #expect(outcome == .merged(Reconciliation(action: .create, old: nil, new: Self.service(3))))
    }

    @Test func updatesKeepOldestOldAndNewestNew() {
        var waiting = Reconciliation(action: .update, old: Self.service(1), new: Self.service(2))
        for replicas in 3...100 {
            let incoming = Reconciliation(action: .update, old: Self.service(replicas - 1), new: Self.service(replicas))
            guard case .merged(let merged) = PendingMerge.merge(waiting: waiting, incoming: incoming, everAssigned: false)
            else {
                Issue.record("an update must merge")
                return
            }
            waiting = merged
        }
        #expect(waiting == Reconciliation(action: .update, old: Self.service(1), new: Self.service(100)))
    }

    @Test func createThenDeleteNeverAssignedDropsBoth() {
        let outcome = PendingMerge.merge(
            waiting: Reconciliation(action: .create, old: nil, new: Self.service(1)),
            incoming: Reconciliation(action: .delete, old: Self.service(1), new: nil), everAssigned: false)
        #expect(outcome == .dropBoth)
    }

    @Test func createThenDeleteOnceAssignedDeliversDelete() {
        let outcome = PendingMerge.merge(
            waiting: Reconciliation(action: .create, old: nil, new: Self.service(1)),
            incoming: Reconciliation(action: .delete, old: Self.service(1), new: nil), everAssigned: true)
        #expect(outcome == .merged(Reconciliation(action: .delete, old: Self.service(1), new: nil)))
    }

    @Test func updateThenDeleteIsDeleteWithOldestOld() {
        let outcome = PendingMerge.merge(
            waiting: Reconciliation(action: .update, old: Self.service(1), new: Self.service(2)),
            incoming: Reconciliation(action: .delete, old: Self.service(2), new: nil), everAssigned: false)
        #expect(outcome == .merged(Reconciliation(action: .delete, old: Self.service(1), new: nil)))
    }

    @Test func resyncThenUpdateIsUpdateAndUpdateThenResyncStaysUpdate() {
        let resync = Reconciliation(action: .resync, old: Self.service(1), new: Self.service(1))
        let update = Reconciliation(action: .update, old: Self.service(1), new: Self.service(2))
        #expect(
            PendingMerge.merge(waiting: resync, incoming: update, everAssigned: false)
                == .merged(Reconciliation(action: .update, old: Self.service(1), new: Self.service(2))))
        #expect(
            PendingMerge.merge(
                waiting: update, incoming: Reconciliation(action: .resync, old: Self.service(2), new: Self.service(2)),
                everAssigned: false) == .merged(update))
    }

    @Test func backoffDoublesFrom100msToTheMaximum() {
        let policy = BackoffPolicy()
        #expect(policy.delay(afterFailures: 0) == .zero)
        #expect(policy.delay(afterFailures: 1) == .milliseconds(100))
        #expect(policy.delay(afterFailures: 2) == .milliseconds(200))
        #expect(policy.delay(afterFailures: 5) == .milliseconds(1600))
        #expect(policy.delay(afterFailures: 12) == .milliseconds(204_800))
        #expect(policy.delay(afterFailures: 13) == .seconds(300))
        #expect(policy.delay(afterFailures: 10_000) == .seconds(300))
        let custom = BackoffPolicy(initial: .seconds(1), multiplier: 3, maximum: .seconds(10))
        #expect(custom.delay(afterFailures: 2) == .seconds(3))
        #expect(custom.delay(afterFailures: 4) == .seconds(10))
    }

    @Test func progressNeedsObservedGenerationAndReady() {
        func service(observed: Int, ready: String?, reconciled: String? = nil) -> JSON {
            var conditions: [JSON] = []
            if let ready { conditions.append(.object(["type": "Ready", "status": .string(ready), "reason": "R"])) }
            if let reconciled {
                conditions.append(.object(["type": "Reconciled", "status": .string(reconciled), "message": "disk full"]))
            }
            return .object([
                "status": .object(["observedGeneration": .int(observed), "conditions": .array(conditions)])
            ])
        }
        #expect(ReconciliationProgress.evaluate(service(observed: 3, ready: "True"), generation: 3, fresh: true) == .done)
        #expect(
            ReconciliationProgress.evaluate(service(observed: 2, ready: "True"), generation: 3, fresh: true)
                == .pending("observedGeneration 2 of 3, Ready True (R)"))
        #expect(
            ReconciliationProgress.evaluate(service(observed: 2, ready: nil, reconciled: "False"), generation: 3, fresh: true)
                == .failed("disk full"))
        // A failure reported before the write being waited for may be stale.
        if case .failed = ReconciliationProgress.evaluate(
            service(observed: 2, ready: nil, reconciled: "False"), generation: 3, fresh: false)
        {
            Issue.record("a stale failure must not end the wait")
        }
    }

    @Test func processWireFormRoundTrips() throws {
        let process = ReconciliationProcess(
            id: "p1", namespace: "default", serviceName: "web", serviceKind: "Deployment", serviceUID: "u1",
            executorType: "echo", funcName: "reconcile",
            reconciliation: Reconciliation(action: .update, old: Self.service(1), new: Self.service(3)), state: .running,
            attempt: 2, executorName: "e1", leaseExpiresAtMS: 1_700_000_030_000, notBeforeMS: 0, error: "x",
            createdAtMS: 1_700_000_000_000, assignedAtMS: 1_700_000_001_000)
        let json = process.json
        #expect(json["functionSpec"]?["reconciliation"]?["action"] == "update")
        #expect(json["functionSpec"]?["reconciliation"]?["old"]?["spec"]?["replicas"] == 1)
        #expect(json["functionSpec"]?["funcName"] == "reconcile")
        #expect(try ReconciliationProcess(json: json) == process)
    }
}
