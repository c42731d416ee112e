import Foundation
import JSONSchema
import StewardCore

extension SQLiteStore: ReconciliationStore {
    /// The finalizer that keeps a service while its reconciler handles the `delete` process.
    public static let reconcilerFinalizer = "steward.io/reconciler"

    static let processColumns = """
        id, namespace, service, service_kind, service_uid, executor_type, func_name, action, old, new, state, attempt, \
        executor, lease_expires_at, not_before, error, created_at, assigned_at, closed_at
        """

    static func process(from row: SQLiteStatement) throws -> ReconciliationProcess {
        func optionalInt(_ column: Int32) -> Int64? { row.isNull(column) ? nil : row.int(column) }
        func optionalJSON(_ column: Int32) throws -> JSON? {
            // Not a ternary: JSON is ExpressibleByNilLiteral, so `nil` there would become JSON.null.
            if row.isNull(column) { return nil }
            return try parse(row.bytes(column), "process service state")
        }
        return ReconciliationProcess(
            id: row.text(0), namespace: row.text(1), serviceName: row.text(2), serviceKind: row.text(3),
            serviceUID: row.text(4), executorType: row.text(5), funcName: row.text(6),
            reconciliation: Reconciliation(
                action: ReconciliationAction(rawValue: row.text(7)) ?? .resync, old: try optionalJSON(8),
                new: try optionalJSON(9)),
            state: ProcessState(rawValue: row.text(10)) ?? .waiting, attempt: Int(row.int(11)),
            executorName: row.isNull(12) ? nil : row.text(12), leaseExpiresAtMS: optionalInt(13),
            notBeforeMS: row.int(14), error: row.isNull(15) ? nil : row.text(15), createdAtMS: row.int(16),
            assignedAtMS: optionalInt(17), closedAtMS: optionalInt(18))
    }

    static func executor(from row: SQLiteStatement) -> Executor {
        Executor(
            name: row.text(0), namespace: row.text(1), executorType: row.text(2), node: row.text(3),
            identity: row.text(4), registeredAtMS: row.int(5), lastHeartbeatAtMS: row.int(6))
    }

    static let executorColumns = "name, namespace, executor_type, node, identity, registered_at, last_heartbeat_at"

    /// The wall clock in milliseconds, for processes enqueued by service writes.
    static func nowMS() -> Int64 { Date().millisecondsSince1970 }

    // MARK: Enqueueing (inside service writes)

    /// What ``enqueueReconciliation(_:service:old:new:in:now:)`` did.
    enum EnqueueOutcome {
        /// The kind has no handler: nobody reconciles it.
        case noHandler
        case enqueued(ReconciliationProcess)
        /// A create that no executor received was cancelled by a delete (see ``PendingMerge``).
        case droppedBoth
    }

    /// Enqueues a process for a change of `service` in the current write, merging into the
    /// service's waiting process if it has one. Signals the executors after the commit.
    /// `oldBytes` and `newBytes` are `old` and `new` already serialized, when at hand.
    @discardableResult
    static func enqueueReconciliation(
        _ action: ReconciliationAction, service: Service, old: JSON?, new: JSON?, oldBytes: [UInt8]? = nil,
        newBytes: [UInt8]? = nil, in tx: WriteTransaction, signals: ProcessSignals, now: Int64 = nowMS()
    ) throws -> EnqueueOutcome {
        let namespace = service.metadata.namespace
        guard let handler = try definition(forKind: service.kind, in: namespace, tx)?.spec.handler else {
            return .noHandler
        }
        let db = tx.connection
        let incoming = Reconciliation(action: action, old: old, new: new)
        let outcome: EnqueueOutcome
        if let waiting = try db.first(
            "SELECT \(processColumns) FROM processes WHERE namespace = ? AND service = ? AND state = 'waiting'",
            .text(namespace), .text(service.metadata.name), map: process(from:))
        {
            switch PendingMerge.merge(
                waiting: waiting.reconciliation, incoming: incoming, everAssigned: waiting.attempt > 0)
            {
            case .dropBoth:
                try db.run(
                    "UPDATE processes SET state = 'cancelled', closed_at = ?, error = ? WHERE id = ?", .int(now),
                    .text("the service was removed before any executor received its creation"), .text(waiting.id))
                return .droppedBoth
            case .merged(let merged):
                try db.run(
                    "UPDATE processes SET action = ?, old = ?, new = ?, executor_type = ?, func_name = ? WHERE id = ?",
                    .text(merged.action.rawValue), json(merged.old), json(merged.new), .text(handler.executorType),
                    .text(handler.functionName), .text(waiting.id))
                var updated = waiting
                updated.reconciliation = merged
                updated.executorType = handler.executorType
                updated.funcName = handler.functionName
                outcome = .enqueued(updated)
            }
        } else {
            let process = ReconciliationProcess(
                id: newUID(), namespace: namespace, serviceName: service.metadata.name, serviceKind: service.kind,
                serviceUID: service.metadata.uid, executorType: handler.executorType, funcName: handler.functionName,
                reconciliation: incoming, createdAtMS: now)
            try insert(process, oldBytes: oldBytes, newBytes: newBytes, db)
            outcome = .enqueued(process)
        }
        let type = handler.executorType
        tx.onCommit { signals.signal(namespace: namespace, executorType: type) }
        return outcome
    }

    /// Enqueues a `resync` of `service` as it is: its wire form is both `old` and `new`, built
    /// and serialized once.
    static func enqueueResync(
        of service: Service, in tx: WriteTransaction, signals: ProcessSignals, now: Int64
    ) throws -> EnqueueOutcome {
        let current = service.json
        let bytes = current.serializedBytes()
        return try enqueueReconciliation(
            .resync, service: service, old: current, new: current, oldBytes: bytes, newBytes: bytes, in: tx,
            signals: signals, now: now)
    }

    private static func json(_ value: JSON?) -> SQLiteValue {
        value.map { .bytes($0.serializedBytes()) } ?? .null
    }

    private static func insert(
        _ p: ReconciliationProcess, oldBytes: [UInt8]?, newBytes: [UInt8]?, _ db: SQLiteConnection
    ) throws {
        try db.run(
            """
            INSERT INTO processes (id, namespace, service, service_kind, service_uid, executor_type, func_name, action, old, new,
                state, attempt, not_before, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', 0, ?, ?)
            """,
            .text(p.id), .text(p.namespace), .text(p.serviceName), .text(p.serviceKind), .text(p.serviceUID),
            .text(p.executorType), .text(p.funcName), .text(p.reconciliation.action.rawValue),
            oldBytes.map(SQLiteValue.bytes) ?? json(p.reconciliation.old),
            newBytes.map(SQLiteValue.bytes) ?? json(p.reconciliation.new), .int(p.notBeforeMS), .int(p.createdAtMS))
    }

    /// Cancels the waiting processes of a service removed without its reconciler.
    static func cancelProcesses(ofService name: String, in namespace: String, _ db: SQLiteConnection, now: Int64 = nowMS())
        throws
    {
        try db.run(
            "UPDATE processes SET state = 'cancelled', closed_at = ?, error = ? WHERE namespace = ? AND service = ? AND state = 'waiting'",
            .int(now), .text("the service was removed without waiting for its reconciler"), .text(namespace), .text(name))
    }

    /// Refuses spec and metadata changes of a service that is being deleted.
    static func refuseIfDeleting(_ service: Service) throws {
        if let at = service.metadata.deletionTimestamp {
            throw StewardError.conflict(
                "service '\(service.metadata.name)' is being deleted (since \(at.rfc3339)); wait until its reconciler finishes, or remove it with --force")
        }
    }

    /// Whether an update changed what a reconciler acts on (spec or metadata, not status).
    static func changesNeedReconciliation(from old: Service, to new: Service) -> Bool {
        old.spec != new.spec || old.metadata.labels != new.metadata.labels
            || old.metadata.annotations != new.metadata.annotations || old.metadata.finalizers != new.metadata.finalizers
    }

    // MARK: Executors

    public func registerExecutor(
        name: String, executorType: String, node: String, identity: String, in namespace: String, now: Int64
    ) async throws -> Executor {
        try Executor.validateName(name)
        guard !executorType.isEmpty else {
            throw StewardError.invalidInput("required field 'executorType' is missing", field: "executorType")
        }
        let signals = processSignals
        return try await write { tx in
            let db = tx.connection
            if let existing = try Self.loadExecutor(name, in: namespace, db) {
                guard existing.identity == identity else {
                    throw StewardError.conflict(
                        "executor '\(name)' is registered in namespace '\(namespace)' by another identity; choose another name",
                        field: "name")
                }
                // A restarted executor has forgotten what it held: give it back to the queue now.
                try Self.requeueRunning(
                    where: "executor = ? AND namespace = ?", [.text(name), .text(namespace)],
                    reason: "executor '\(name)' registered again and no longer holds it", db, now: now)
                tx.onCommit { signals.signal(namespace: namespace, executorType: existing.executorType) }
            }
            try db.run(
                """
                INSERT INTO executors (namespace, name, executor_type, node, identity, registered_at, last_heartbeat_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (namespace, name) DO UPDATE SET executor_type = excluded.executor_type, node = excluded.node,
                    registered_at = excluded.registered_at, last_heartbeat_at = excluded.last_heartbeat_at
                """,
                .text(namespace), .text(name), .text(executorType), .text(node), .text(identity), .int(now), .int(now))
            return Executor(
                name: name, namespace: namespace, executorType: executorType, node: node, identity: identity,
                registeredAtMS: now, lastHeartbeatAtMS: now)
        }
    }

    public func executors(in namespace: String) async throws -> [Executor] {
        try read { db in
            try db.all(
                "SELECT \(Self.executorColumns) FROM executors WHERE namespace = ? ORDER BY executor_type, name",
                [.text(namespace)], map: Self.executor(from:))
        }
    }

    public func executor(named name: String, in namespace: String) async throws -> Executor? {
        try read { try Self.loadExecutor(name, in: namespace, $0) }
    }

    public func hasExecutor(ofType executorType: String, registeredBy identity: String, in namespace: String) async throws
        -> Bool
    {
        try read { db in
            try db.first(
                "SELECT 1 FROM executors WHERE namespace = ? AND executor_type = ? AND identity = ? LIMIT 1",
                .text(namespace), .text(executorType), .text(identity)
            ) { _ in true } ?? false
        }
    }

    public func removeExecutor(named name: String, in namespace: String) async throws {
        let signals = processSignals
        try await write { tx in
            let db = tx.connection
            guard let existing = try Self.loadExecutor(name, in: namespace, db) else {
                throw StewardError.notFound("executor '\(name)' not found in namespace '\(namespace)'")
            }
            try Self.requeueRunning(
                where: "executor = ? AND namespace = ?", [.text(name), .text(namespace)],
                reason: "executor '\(name)' was removed", db, now: Self.nowMS())
            try db.run("DELETE FROM executors WHERE namespace = ? AND name = ?", .text(namespace), .text(name))
            tx.onCommit { signals.signal(namespace: namespace, executorType: existing.executorType) }
        }
    }

    /// The executor `name` of `namespace`, read in the caller's connection.
    static func loadExecutor(_ name: String, in namespace: String, _ db: SQLiteConnection) throws -> Executor? {
        try db.first(
            "SELECT \(executorColumns) FROM executors WHERE namespace = ? AND name = ?", .text(namespace), .text(name),
            map: executor(from:))
    }

    /// Records a sign of life from the executor `name`: its last heartbeat is `now` (ms).
    static func touchExecutor(_ name: String, in namespace: String, at now: Int64, _ db: SQLiteConnection) throws {
        _ = try db.run(
            "UPDATE executors SET last_heartbeat_at = ? WHERE namespace = ? AND name = ?", .int(now), .text(namespace),
            .text(name))
    }

    // MARK: Assignment, leases, closing

    /// The processes an executor of type ?2 in namespace ?1 may lease at time ?3 (alias `p`):
    /// waiting, past their backoff, of a service with no running process. A running process
    /// whose lease ran out still counts until ``expireLeases(now:)`` returns it to the queue.
    /// ``assignProcess(toExecutor:in:leaseMS:now:)`` and the read-only look of
    /// ``assignProcessIfReady(toExecutor:in:leaseMS:now:)`` share it, so they cannot disagree.
    private static let assignable = """
        p.namespace = ? AND p.executor_type = ? AND p.state = 'waiting' AND p.not_before <= ?
          AND NOT EXISTS (SELECT 1 FROM processes r WHERE r.namespace = p.namespace AND r.service = p.service AND r.state = 'running')
        """

    public func assignProcess(toExecutor name: String, in namespace: String, leaseMS: Int64, now: Int64) async throws -> (
        process: ReconciliationProcess?, nextReadyAt: Int64?
    ) {
        try await write { tx in
            let db = tx.connection
            let executor = try Self.registeredExecutor(name, in: namespace, db)
            try Self.touchExecutor(name, in: namespace, at: now, db)
            return try Self.leaseNextProcess(to: executor, leaseMS: leaseMS, now: now, db)
        }
    }

    public func assignProcessIfReady(toExecutor name: String, in namespace: String, leaseMS: Int64, now: Int64)
        async throws -> (process: ReconciliationProcess?, nextReadyAt: Int64?)
    {
        let look = try read { db -> (ready: Bool, nextReadyAt: Int64?) in
            let executor = try Self.registeredExecutor(name, in: namespace, db)
            let ready = try db.first(
                "SELECT 1 FROM processes p WHERE \(Self.assignable) LIMIT 1", .text(namespace),
                .text(executor.executorType), .int(now)
            ) { _ in true } ?? false
            if ready { return (true, nil) }
            return (false, try Self.nextReadyAt(forType: executor.executorType, in: namespace, after: now, db))
        }
        guard look.ready else { return (nil, look.nextReadyAt) }
        // Another executor may take it first: then the write finds nothing and says so.
        return try await write { tx in
            let db = tx.connection
            let executor = try Self.registeredExecutor(name, in: namespace, db)
            return try Self.leaseNextProcess(to: executor, leaseMS: leaseMS, now: now, db)
        }
    }

    /// The executor `name`, or the 404 of an executor that must register before it takes work.
    private static func registeredExecutor(_ name: String, in namespace: String, _ db: SQLiteConnection) throws -> Executor {
        guard let executor = try loadExecutor(name, in: namespace, db) else {
            throw StewardError.notFound("executor '\(name)' is not registered in namespace '\(namespace)'; register it first")
        }
        return executor
    }

    /// Leases the oldest assignable process to `executor`, in the caller's write; with none,
    /// returns when the next backoff of its type ends.
    private static func leaseNextProcess(
        to executor: Executor, leaseMS: Int64, now: Int64, _ db: SQLiteConnection
    ) throws -> (process: ReconciliationProcess?, nextReadyAt: Int64?) {
        let namespace = executor.namespace
        let candidate = try db.first(
            "SELECT \(processColumns) FROM processes p WHERE \(assignable) ORDER BY p.seq LIMIT 1", .text(namespace),
            .text(executor.executorType), .int(now), map: process(from:))
        guard var process = candidate else {
            return (nil, try nextReadyAt(forType: executor.executorType, in: namespace, after: now, db))
        }
        process.state = .running
        process.attempt += 1
        process.executorName = executor.name
        process.leaseExpiresAtMS = now + leaseMS
        process.assignedAtMS = now
        try db.run(
            """
            UPDATE processes SET state = 'running', attempt = ?, executor = ?, lease_expires_at = ?, assigned_at = ?
            WHERE id = ?
            """,
            .int(process.attempt), .text(executor.name), .int(now + leaseMS), .int(now), .text(process.id))
        return (process, nil)
    }

    /// When the earliest backoff of a waiting process of `type` ends after `now`, if any.
    private static func nextReadyAt(
        forType type: String, in namespace: String, after now: Int64, _ db: SQLiteConnection
    ) throws -> Int64? {
        try db.first(
            """
            SELECT MIN(not_before) FROM processes
            WHERE namespace = ? AND executor_type = ? AND state = 'waiting' AND not_before > ?
            """,
            .text(namespace), .text(type), .int(now)
        ) { $0.isNull(0) ? nil : $0.int(0) } ?? nil
    }

    /// Loads a running process held by the executor `executor` that `caller` registered, in the
    /// write that acts on it: one read of the process and its holder's identity. 404 when the
    /// process is missing, 409 when it is not running (its lease ran out or it was closed) or
    /// another executor holds it now (its lease ran out and it was assigned again), 403 when the
    /// executor holding it was registered by another identity.
    private static func heldProcess(
        _ id: String, by caller: String, executor claimed: String, in namespace: String, _ db: SQLiteConnection
    ) throws -> (process: ReconciliationProcess, executor: String) {
        let found = try db.first(
            """
            SELECT \(processColumns),
                (SELECT identity FROM executors e WHERE e.namespace = processes.namespace AND e.name = processes.executor)
            FROM processes WHERE id = ? AND namespace = ?
            """,
            .text(id), .text(namespace)
        ) { row in (try process(from: row), row.isNull(19) ? nil : row.text(19)) }
        guard let (process, holderIdentity) = found else {
            throw StewardError.notFound("process '\(id)' not found in namespace '\(namespace)'")
        }
        guard process.state == .running, let executor = process.executorName else {
            throw StewardError.conflict(
                "process '\(id)' is \(process.state.rawValue), not running: its lease ran out or it was closed. Stop working on it")
        }
        guard holderIdentity == caller else {
            throw StewardError.forbidden("process '\(id)' is held by executor '\(executor)', which is not yours")
        }
        guard executor == claimed else {
            throw StewardError.conflict(
                "process '\(id)' is held by executor '\(executor)', not '\(claimed)': the lease of '\(claimed)' ran out and the process was assigned again. Stop working on it",
                field: "executor")
        }
        return (process, executor)
    }

    public func renewLease(
        ofProcess id: String, heldBy caller: String, executor name: String, in namespace: String, leaseMS: Int64, now: Int64
    ) async throws -> ReconciliationProcess {
        try await write { tx in
            let db = tx.connection
            let (held, executor) = try Self.heldProcess(id, by: caller, executor: name, in: namespace, db)
            var process = held
            process.leaseExpiresAtMS = now + leaseMS
            try db.run("UPDATE processes SET lease_expires_at = ? WHERE id = ?", .int(now + leaseMS), .text(id))
            try Self.touchExecutor(executor, in: namespace, at: now, db)
            return process
        }
    }

    public func closeProcess(
        _ id: String, heldBy caller: String, executor: String, in namespace: String, succeeded: Bool, error: String?,
        backoff: BackoffPolicy, now: Int64
    ) async throws -> ReconciliationProcess {
        let signals = processSignals
        return try await write { [self] tx in
            let db = tx.connection
            let (held, name) = try Self.heldProcess(id, by: caller, executor: executor, in: namespace, db)
            var process = held
            try Self.touchExecutor(name, in: namespace, at: now, db)
            let service = try Self.load(process.serviceName, namespace, db)
            let sameService = service.map { $0.metadata.uid == process.serviceUID } ?? false
            let type = process.executorType
            tx.onCommit { signals.signal(namespace: namespace, executorType: type) }
            if succeeded {
                process.state = .succeeded
                process.closedAtMS = now
                process.leaseExpiresAtMS = nil
                try db.run(
                    "UPDATE processes SET state = 'succeeded', closed_at = ?, lease_expires_at = NULL, error = NULL WHERE id = ?",
                    .int(now), .text(id))
                process.error = nil
                guard sameService, let service else { return process }
                if process.reconciliation.action == .delete, service.metadata.deletionTimestamp != nil {
                    try hardDelete(service, by: "executor:\(name)", tx, now: now)
                    return process
                }
                let interval = try Self.definition(forKind: service.kind, in: namespace, tx)?.spec.handler?.reconcileInterval
                // Definitions stored before the interval had an upper bound are clamped to it.
                let nextResync: SQLiteValue =
                    interval.map { $0 > 0 ? .int(now + Int64(min($0, HandlerSpec.maxReconcileInterval)) * 1000) : .null } ?? .null
                try Self.recordResult(
                    service, failures: 0, result: "succeeded", error: nil, nextResync: nextResync, db, now: now)
                if let condition = ServiceConditions.condition(ServiceConditions.reconciled, in: service.status),
                    condition["status"]?.stringValue != "True"
                {
                    try writeReconciled(
                        true, reason: "ReconcileSucceeded",
                        message: "\(process.reconciliation.action.rawValue) reconciled by '\(name)'", of: service, now: now, tx)
                }
                return process
            }
            let message = (error?.isEmpty == false ? error! : "the reconciler reported a failure without a message")
            guard sameService, let service else {
                process.state = .cancelled
                try db.run(
                    "UPDATE processes SET state = 'cancelled', closed_at = ?, lease_expires_at = NULL, error = ? WHERE id = ?",
                    .int(now), .text(message), .text(id))
                return process
            }
            let failures =
                (try db.first(
                    "SELECT failures FROM reconcile_state WHERE namespace = ? AND name = ?", .text(namespace),
                    .text(service.metadata.name)
                ) { $0.int(0) } ?? 0) + 1
            let delay = backoff.delay(afterFailures: Int(failures)).milliseconds
            process = try Self.requeue(process, reason: message, notBefore: now + delay, db, now: now)
            try Self.recordResult(
                service, failures: failures, result: "failed", error: message, nextResync: .null, db, now: now)
            try writeReconciled(
                false, reason: "ReconcileFailed",
                message: "\(process.reconciliation.action.rawValue) failed (attempt \(process.attempt), \(failures) in a row; next try in \(Self.describe(delay))): \(message)",
                of: service, now: now, tx)
            return process
        }
    }

    /// Sets the service's Reconciled condition (as the server computes it when a process closes)
    /// and writes the status with its event.
    private func writeReconciled(
        _ reconciled: Bool, reason: String, message: String, of service: Service, now: Int64, _ tx: WriteTransaction
    ) throws {
        let at = Timestamp(secondsSince1970: now / 1000)
        let status = ServiceConditions.setting(
            type: ServiceConditions.reconciled, status: reconciled, reason: reason, message: message, at: at,
            in: service.status)
        try writeStatus(status, of: service, at: at, tx)
    }

    static func describe(_ ms: Int64) -> String {
        ms < 1000 ? "\(ms) ms" : ms < 120_000 ? "\(ms / 1000) s" : "\(ms / 60_000) min"
    }

    /// Puts a running process back in the queue: as it is, or merged into the service's newer
    /// waiting process (which then becomes the one to run, no earlier than `notBefore`).
    private static func requeue(
        _ process: ReconciliationProcess, reason: String, notBefore: Int64, _ db: SQLiteConnection, now: Int64
    ) throws -> ReconciliationProcess {
        var process = process
        if var waiting = try db.first(
            "SELECT \(processColumns) FROM processes WHERE namespace = ? AND service = ? AND state = 'waiting'",
            .text(process.namespace), .text(process.serviceName), map: Self.process(from:))
        {
            switch PendingMerge.merge(waiting: process.reconciliation, incoming: waiting.reconciliation, everAssigned: true) {
            case .merged(let merged): waiting.reconciliation = merged
            case .dropBoth: break  // everAssigned is true: never happens
            }
            try db.run(
                "UPDATE processes SET action = ?, old = ?, new = ?, not_before = MAX(not_before, ?), error = ? WHERE id = ?",
                .text(waiting.reconciliation.action.rawValue), json(waiting.reconciliation.old),
                json(waiting.reconciliation.new), .int(notBefore), .text(reason), .text(waiting.id))
            process.state = .superseded
            process.error = reason
            process.closedAtMS = now
            try db.run(
                "UPDATE processes SET state = 'superseded', closed_at = ?, lease_expires_at = NULL, error = ? WHERE id = ?",
                .int(now), .text(reason + " (merged into process \(waiting.id))"), .text(process.id))
            return process
        }
        process.state = .waiting
        process.error = reason
        process.notBeforeMS = notBefore
        process.leaseExpiresAtMS = nil
        try db.run(
            "UPDATE processes SET state = 'waiting', lease_expires_at = NULL, not_before = ?, error = ? WHERE id = ?",
            .int(notBefore), .text(reason), .text(process.id))
        return process
    }

    private static func requeueRunning(
        where condition: String, _ bindings: [SQLiteValue], reason: String, _ db: SQLiteConnection, now: Int64
    ) throws {
        let running = try db.all(
            "SELECT \(processColumns) FROM processes WHERE state = 'running' AND \(condition)", bindings,
            map: process(from:))
        for process in running {
            _ = try requeue(process, reason: reason, notBefore: now, db, now: now)
        }
    }

    private static func recordResult(
        _ service: Service, failures: Int64, result: String, error: String?, nextResync: SQLiteValue,
        _ db: SQLiteConnection, now: Int64
    ) throws {
        try db.run(
            """
            INSERT INTO reconcile_state (namespace, name, failures, next_resync_at, last_result, last_error, last_closed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (namespace, name) DO UPDATE SET failures = excluded.failures, next_resync_at = excluded.next_resync_at,
                last_result = excluded.last_result, last_error = excluded.last_error, last_closed_at = excluded.last_closed_at
            """,
            .text(service.metadata.namespace), .text(service.metadata.name), .int(failures), nextResync, .text(result),
            .optionalText(error), .int(now))
    }

    // MARK: Timers

    public func expireLeases(now: Int64) async throws -> [(namespace: String, executorType: String)] {
        let expired = try read { db in
            try db.first(
                "SELECT 1 FROM processes WHERE state = 'running' AND lease_expires_at <= ? LIMIT 1", .int(now)
            ) { _ in true } ?? false
        }
        guard expired else { return [] }
        let signals = processSignals
        return try await write { tx in
            let db = tx.connection
            let running = try db.all(
                "SELECT \(Self.processColumns) FROM processes WHERE state = 'running' AND lease_expires_at <= ?",
                [.int(now)], map: Self.process(from:))
            var woken = [(namespace: String, executorType: String)]()
            for process in running {
                _ = try Self.requeue(
                    process,
                    reason: "the lease of executor '\(process.executorName ?? "?")' ran out (it stopped heartbeating)",
                    notBefore: now, db, now: now)
                woken.append((process.namespace, process.executorType))
            }
            tx.onCommit { for (namespace, type) in woken { signals.signal(namespace: namespace, executorType: type) } }
            return woken
        }
    }

    public func enqueueDueResyncs(now: Int64) async throws -> [(namespace: String, executorType: String)] {
        let due = try read { db in
            try db.first("SELECT 1 FROM reconcile_state WHERE next_resync_at <= ? LIMIT 1", .int(now)) { _ in true } ?? false
        }
        guard due else { return [] }
        let signals = processSignals
        return try await write { tx in
            let db = tx.connection
            let names = try db.all(
                "SELECT namespace, name FROM reconcile_state WHERE next_resync_at <= ?", [.int(now)]
            ) { ($0.text(0), $0.text(1)) }
            var woken = [(namespace: String, executorType: String)]()
            for (namespace, name) in names {
                try db.run(
                    "UPDATE reconcile_state SET next_resync_at = NULL WHERE namespace = ? AND name = ?", .text(namespace),
                    .text(name))
                guard let service = try Self.load(name, namespace, db), service.metadata.deletionTimestamp == nil
                else { continue }
                if case .enqueued(let process) = try Self.enqueueResync(of: service, in: tx, signals: signals, now: now) {
                    woken.append((namespace, process.executorType))
                }
            }
            return woken
        }
    }

    public func extendAllLeases(leaseMS: Int64, now: Int64) async throws {
        try await write { tx in
            try tx.connection.run(
                "UPDATE processes SET lease_expires_at = MAX(lease_expires_at, ?) WHERE state = 'running'", .int(now + leaseMS))
        }
    }

    public func nextReconciliationDeadline() async throws -> Int64? {
        try read { db in
            let lease = try db.first("SELECT MIN(lease_expires_at) FROM processes WHERE state = 'running'") {
                $0.isNull(0) ? nil : $0.int(0)
            } ?? nil
            let resync = try db.first("SELECT MIN(next_resync_at) FROM reconcile_state WHERE next_resync_at IS NOT NULL") {
                $0.isNull(0) ? nil : $0.int(0)
            } ?? nil
            return [lease, resync].compactMap { $0 }.min()
        }
    }

    // MARK: Requests from users

    public func requestReconciliation(ofService name: String, in namespace: String, now: Int64) async throws
        -> ReconciliationProcess
    {
        let signals = processSignals
        return try await write { tx in
            guard let service = try Self.load(name, namespace, tx.connection) else {
                throw Self.notFound(name, namespace)
            }
            if service.metadata.deletionTimestamp != nil {
                throw StewardError.conflict("service '\(name)' is being deleted; its delete process is already queued")
            }
            switch try Self.enqueueResync(of: service, in: tx, signals: signals, now: now) {
            case .enqueued(let process): return process
            case .noHandler, .droppedBoth:
                throw StewardError.invalidInput(
                    "the definition of kind '\(service.kind)' has no handler, so no reconciler handles service '\(name)'")
            }
        }
    }

    public func removeService(named name: String, in namespace: String, by identity: String, force: Bool) async throws
        -> (service: Service, removed: Bool)
    {
        let signals = processSignals
        return try await write { [self] tx in
            let db = tx.connection
            let now = Self.nowMS()
            guard let existing = try Self.load(name, namespace, db) else { throw Self.notFound(name, namespace) }
            if !force {
                if existing.metadata.deletionTimestamp != nil { return (existing, false) }
                switch try Self.enqueueReconciliation(
                    .delete, service: existing, old: existing.json, new: nil, in: tx, signals: signals, now: now)
                {
                case .enqueued:
                    let revision = try tx.nextRevision()
                    var marked = existing
                    marked.metadata.deletionTimestamp = Timestamp(secondsSince1970: now / 1000)
                    if !marked.metadata.finalizers.contains(Self.reconcilerFinalizer) {
                        marked.metadata.finalizers.append(Self.reconcilerFinalizer)
                    }
                    marked.metadata.resourceVersion = String(revision)
                    marked.metadata.updatedAt = marked.metadata.deletionTimestamp
                    try db.run(
                        "UPDATE services SET resource_version = ?, metadata = ? WHERE namespace = ? AND name = ?",
                        .int(revision), .bytes(marked.metadata.json.serializedBytes()), .text(namespace), .text(name))
                    try record(marked, .modified, revision: revision, at: marked.metadata.updatedAt!, tx)
                    return (marked, false)
                case .noHandler, .droppedBoth:
                    break
                }
            }
            try Self.cancelProcesses(ofService: name, in: namespace, db, now: now)
            try hardDelete(existing, by: identity, tx, now: now)
            var removed = existing
            removed.metadata.finalizers.removeAll { $0 == Self.reconcilerFinalizer }
            return (removed, true)
        }
    }

    // MARK: Reads

    /// Newest first: the key is the process's enqueue order, and a page after key `k` holds
    /// older processes.
    public func processes(in namespace: String, service: String?, state: ProcessState?, page: PageRequest<Int64>)
        async throws -> Page<ReconciliationProcess, Int64>
    {
        try read { db in
            var sql = "SELECT \(Self.processColumns), seq FROM processes WHERE namespace = ?"
            var bindings: [SQLiteValue] = [.text(namespace)]
            if let service {
                sql += " AND service = ?"
                bindings.append(.text(service))
            }
            if let state {
                sql += " AND state = ?"
                bindings.append(.text(state.rawValue))
            }
            page.appendClauses(to: &sql, &bindings, column: "seq", descending: true) { .int($0) }
            let rows = try db.all(sql, bindings) { row in (process: try Self.process(from: row), seq: row.int(19)) }
            return Page(rows: rows, limit: page.limit, item: \.process, key: \.seq)
        }
    }

    public func process(id: String, in namespace: String) async throws -> ReconciliationProcess? {
        try read { db in
            try db.first(
                "SELECT \(Self.processColumns) FROM processes WHERE id = ? AND namespace = ?", .text(id), .text(namespace),
                map: Self.process(from:))
        }
    }

    public func processIDs(withPrefix prefix: String, in namespace: String, limit: Int) async throws -> [String] {
        let prefix = prefix.lowercased()
        // Ids are lowercase hexadecimal digits and dashes: one that holds anything else matches none.
        guard !prefix.isEmpty, prefix.utf8.allSatisfy(Self.isIDCharacter) else { return [] }
        return try read { db in
            // Every id that starts with the prefix sorts from it up to it followed by 'g', after 'f'.
            try db.all(
                "SELECT id FROM processes WHERE id >= ? AND id < ? AND namespace = ? ORDER BY id LIMIT ?",
                [.text(prefix), .text(prefix + "g"), .text(namespace), .int(Int64(limit))]
            ) { $0.text(0) }
        }
    }

    public func uniquePrefixLengths(ofProcessIDs ids: [String]) async throws -> [Int] {
        try read { db in
            try ids.map { id in
                // The ids sorted next to this one share the longest prefixes with it.
                let before = try db.first(
                    "SELECT id FROM processes WHERE id < ? ORDER BY id DESC LIMIT 1", .text(id)) { $0.text(0) }
                let after = try db.first("SELECT id FROM processes WHERE id > ? ORDER BY id LIMIT 1", .text(id)) {
                    $0.text(0)
                }
                let shared = [before, after].compactMap { $0 }.map { Self.commonPrefixLength(id, $0) }.max() ?? 0
                return min(id.utf8.count, shared + 1)
            }
        }
    }

    static func isIDCharacter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || byte == UInt8(ascii: "-")
    }

    static func commonPrefixLength(_ a: String, _ b: String) -> Int {
        zip(a.utf8, b.utf8).prefix { $0 == $1 }.count
    }

    public func reconciliationSummary(ofService name: String, in namespace: String) async throws -> ReconciliationSummary? {
        try read { db in
            let latest = try db.first(
                "SELECT \(Self.processColumns) FROM processes WHERE namespace = ? AND service = ? ORDER BY seq DESC LIMIT 1",
                .text(namespace), .text(name), map: Self.process(from:))
            let state = try db.first(
                "SELECT failures, last_result, last_error, last_closed_at FROM reconcile_state WHERE namespace = ? AND name = ?",
                .text(namespace), .text(name)
            ) { row in
                (
                    Int(row.int(0)), row.isNull(1) ? nil : row.text(1), row.isNull(2) ? nil : row.text(2),
                    row.isNull(3) ? nil : row.int(3)
                )
            }
            guard latest != nil || state != nil else { return nil }
            return ReconciliationSummary(
                latest: latest, failures: state?.0 ?? 0, lastResult: state?.1, lastError: state?.2,
                lastClosedAtMS: state?.3)
        }
    }
}
