import JSONSchema
import StewardCore

extension SQLiteStore {
    /// The columns a service's wire form is assembled from, in this order.
    static let serviceJSONColumns = "kind, metadata, spec, status"

    /// `{"kind":…,"metadata":…,"spec":…,"status":…}` from the stored JSON texts, without parsing.
    static func serviceBytes(_ row: SQLiteStatement, from column: Int32 = 0) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(512)
        out.append(contentsOf: #"{"kind":"#.utf8)
        out.append(contentsOf: JSON.string(row.text(column)).serializedBytes())
        out.append(contentsOf: #","metadata":"#.utf8)
        row.appendBytes(column + 1, to: &out)
        out.append(contentsOf: #","spec":"#.utf8)
        row.appendBytes(column + 2, to: &out)
        out.append(contentsOf: #","status":"#.utf8)
        row.appendBytes(column + 3, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{}`, the status of a new service.
    static let emptyObject: [UInt8] = Array("{}".utf8)

    /// `{"kind":…,"metadata":…,"spec":…,"status":…}` from the serialized parts.
    static func serviceBytes(kind: String, metadata: [UInt8], spec: [UInt8], status: [UInt8]) -> [UInt8] {
        let kindBytes = JSON.string(kind).serializedBytes()
        var out = [UInt8]()
        out.reserveCapacity(kindBytes.count + metadata.count + spec.count + status.count + 40)
        out.append(contentsOf: #"{"kind":"#.utf8)
        out.append(contentsOf: kindBytes)
        out.append(contentsOf: #","metadata":"#.utf8)
        out.append(contentsOf: metadata)
        out.append(contentsOf: #","spec":"#.utf8)
        out.append(contentsOf: spec)
        out.append(contentsOf: #","status":"#.utf8)
        out.append(contentsOf: status)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func service(from row: SQLiteStatement) throws -> Service {
        Service(
            kind: row.text(0),
            metadata: try ServiceMetadata(json: try parse(row.bytes(1), "service metadata")),
            spec: try parse(row.bytes(2), "service spec"),
            status: try parse(row.bytes(3), "service status"))
    }

    /// The service `name` in `namespace`, read on `db`, or nil.
    static func load(_ name: String, _ namespace: String, _ db: SQLiteConnection) throws -> Service? {
        try db.first(
            "SELECT \(serviceJSONColumns) FROM services WHERE namespace = ? AND name = ?", .text(namespace), .text(name),
            map: service(from:))
    }

    /// The 404 for a missing service.
    static func notFound(_ name: String, _ namespace: String) -> StewardError {
        .notFound("service '\(name)' not found in namespace '\(namespace)'")
    }

    /// Finds the definition of the service's kind and runs the admission (defaults, validation).
    private static func admit(
        _ service: Service, _ namespace: String, _ tx: WriteTransaction, _ admission: (ServiceDefinition) throws -> Service
    ) throws -> Service {
        guard let definition = try definition(forKind: service.kind, in: namespace, tx) else {
            throw StewardError.invalidInput(
                "ServiceDefinition for kind '\(service.kind)' not found in namespace '\(namespace)'", field: "kind")
        }
        return try admission(definition)
    }

    private static func writeLabels(_ labels: [String: String], name: String, namespace: String, _ db: SQLiteConnection, replace: Bool) throws {
        if replace {
            try db.run("DELETE FROM service_labels WHERE namespace = ? AND name = ?", .text(namespace), .text(name))
        }
        for (key, value) in labels {
            try db.run(
                "INSERT INTO service_labels (namespace, name, key, value) VALUES (?, ?, ?, ?)",
                .text(namespace), .text(name), .text(key), .text(value))
        }
    }

    /// Appends a history entry; `spec` is the service's spec already serialized, when at hand.
    static func appendHistory(
        _ service: Service, change: HistoryEntry.ChangeType, spec: [UInt8]? = nil, by identity: String, at: Timestamp,
        _ db: SQLiteConnection
    ) throws {
        try db.run(
            "INSERT INTO history (namespace, name, uid, generation, change_type, spec, by_identity, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            .text(service.metadata.namespace), .text(service.metadata.name), .text(service.metadata.uid),
            .int(service.metadata.generation), .text(change.rawValue), .bytes(spec ?? service.spec.serializedBytes()),
            .text(identity), .int(at.secondsSince1970))
    }

    /// Appends the event of a service write and publishes it to watchers once committed.
    /// `object` is the service's wire form and `bytes` its serialization, when at hand.
    func record(
        _ service: Service, _ type: WatchEvent.EventType, object: JSON? = nil, bytes: [UInt8]? = nil, revision: Int64,
        at: Timestamp, _ tx: WriteTransaction
    ) throws {
        try recordEvent(
            objectType: .service, type: type, namespace: service.metadata.namespace, kind: service.kind,
            name: service.metadata.name, object: object ?? service.json, bytes: bytes, revision: revision, at: at, tx)
    }

    /// Appends the event of any write to the event log and publishes it to watchers once
    /// committed. `bytes` is `object` serialized, when at hand.
    func recordEvent(
        objectType: WatchEvent.ObjectType, type: WatchEvent.EventType, namespace: String, kind: String, name: String,
        object: JSON, bytes: [UInt8]? = nil, revision: Int64, at: Timestamp, _ tx: WriteTransaction
    ) throws {
        try tx.appendEvent(
            revision: revision, namespace: namespace, objectType: objectType, type: type, kind: kind, name: name,
            object: bytes ?? object.serializedBytes(), at: at)
        let event = WatchEvent(
            revision: revision, type: type, objectType: objectType, namespace: namespace, kind: kind, name: name,
            object: object)
        let hub = watchHub
        tx.onCommit { hub.publish([event]) }
    }

    public func createService(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceAdmission
    ) async throws -> Service {
        try await createServiceReturningJSON(service, in: namespace, by: identity, admission: admission).service
    }

    /// Creates the service. Its metadata and spec are serialized once; the service row, the
    /// history entry, the event, the reconciliation process and the returned wire form all
    /// reuse those bytes.
    public func createServiceReturningJSON(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceAdmission
    ) async throws -> WrittenService {
        try NameRules.validateServiceName(service.metadata.name, namespace: namespace)
        return try await write { [self] tx in
            let db = tx.connection
            let name = service.metadata.name
            var admitted = try Self.admit(service, namespace, tx) { try admission($0, service) }
            let revision = try tx.nextRevision()
            let now = Timestamp.now()
            admitted.metadata = ServiceMetadata(
                name: name, namespace: namespace, uid: Self.newUID(), labels: service.metadata.labels,
                annotations: service.metadata.annotations, generation: 1, resourceVersion: String(revision),
                createdAt: now, updatedAt: now, finalizers: service.metadata.finalizers, deletionTimestamp: nil)
            admitted.kind = service.kind
            admitted.status = .object([:])
            let metadataJSON = admitted.metadata.json
            let metadataBytes = metadataJSON.serializedBytes()
            let specBytes = admitted.spec.serializedBytes()
            let bytes = Self.serviceBytes(kind: admitted.kind, metadata: metadataBytes, spec: specBytes, status: Self.emptyObject)
            let object = JSON.object(
                ["kind": .string(admitted.kind), "metadata": metadataJSON, "spec": admitted.spec, "status": admitted.status])
            // The primary key (namespace, name) finds an existing service: no lookup beforehand.
            // This is the write's first change, so a refusal leaves nothing to undo.
            do {
                try db.run(
                    """
                    INSERT INTO services (namespace, name, kind, uid, generation, resource_version, metadata, spec, status)
                    VALUES (?, ?, ?, ?, 1, ?, ?, ?, '{}')
                    """,
                    .text(namespace), .text(name), .text(admitted.kind), .text(admitted.metadata.uid), .int(revision),
                    .bytes(metadataBytes), .bytes(specBytes))
            } catch let error as SQLiteError where error.isPrimaryKeyViolation {
                throw StewardError.conflict(
                    "service '\(name)' already exists in namespace '\(namespace)'", field: "metadata.name")
            }
            try Self.writeLabels(admitted.metadata.labels, name: name, namespace: namespace, db, replace: false)
            try Self.appendHistory(admitted, change: .created, spec: specBytes, by: identity, at: now, db)
            try record(admitted, .added, object: object, bytes: bytes, revision: revision, at: now, tx)
            try Self.enqueueReconciliation(
                .create, service: admitted, old: nil, new: object, newBytes: bytes, in: tx, signals: processSignals)
            return WrittenService(service: admitted, json: bytes)
        }
    }

    public func updateService(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceUpdateAdmission
    ) async throws -> Service {
        try await write { [self] tx in
            let db = tx.connection
            let name = service.metadata.name
            guard let existing = try Self.load(name, namespace, db) else { throw Self.notFound(name, namespace) }
            try Self.refuseIfDeleting(existing)
            guard service.kind == existing.kind else {
                throw StewardError.invalidInput(
                    "service '\(name)' is of kind '\(existing.kind)'; its kind cannot change to '\(service.kind)' (remove it and add it again)",
                    field: "kind")
            }
            if let given = service.metadata.resourceVersion, given != existing.metadata.resourceVersion {
                throw StewardError.conflict(
                    "service '\(name)' was changed meanwhile: resourceVersion \(given) is stale, the current one is \(existing.metadata.resourceVersion ?? "?"); read it again and retry",
                    field: "metadata.resourceVersion")
            }
            let admitted = try Self.admit(service, namespace, tx) { try admission($0, service, existing) }
            let specChanged = admitted.spec != existing.spec
            let revision = try tx.nextRevision()
            let now = Timestamp.now()
            var updated = existing
            updated.spec = admitted.spec
            updated.metadata.labels = service.metadata.labels
            updated.metadata.annotations = service.metadata.annotations
            updated.metadata.finalizers = service.metadata.finalizers
            updated.metadata.generation = existing.metadata.generation + (specChanged ? 1 : 0)
            updated.metadata.resourceVersion = String(revision)
            updated.metadata.updatedAt = now
            try db.run(
                """
                UPDATE services SET generation = ?, resource_version = ?, metadata = ?, spec = ?
                WHERE namespace = ? AND name = ?
                """,
                .int(updated.metadata.generation), .int(revision), .bytes(updated.metadata.json.serializedBytes()),
                .bytes(updated.spec.serializedBytes()), .text(namespace), .text(name))
            if updated.metadata.labels != existing.metadata.labels {
                try Self.writeLabels(updated.metadata.labels, name: name, namespace: namespace, db, replace: true)
            }
            if specChanged {
                try Self.appendHistory(updated, change: .updated, by: identity, at: now, db)
            }
            let object = updated.json
            try record(updated, .modified, object: object, revision: revision, at: now, tx)
            if Self.changesNeedReconciliation(from: existing, to: updated) {
                try Self.enqueueReconciliation(
                    .update, service: updated, old: existing.json, new: object, in: tx, signals: processSignals)
            }
            return updated
        }
    }

    public func updateServiceStatus(
        named name: String, in namespace: String, status: JSON, expectedResourceVersion: String?
    ) async throws -> Service {
        guard case .object = status else {
            throw StewardError.invalidInput("'status' must be an object, got \(status.typeName)", field: "status")
        }
        return try await write { [self] tx in
            let db = tx.connection
            guard let existing = try Self.load(name, namespace, db) else { throw Self.notFound(name, namespace) }
            if let given = expectedResourceVersion, given != existing.metadata.resourceVersion {
                throw StewardError.conflict(
                    "service '\(name)' was changed meanwhile: resourceVersion \(given) is stale, the current one is \(existing.metadata.resourceVersion ?? "?"); read it again and retry",
                    field: "metadata.resourceVersion")
            }
            return try writeStatus(status, of: existing, at: Timestamp.now(), tx)
        }
    }

    /// Replaces the status of `existing` (as read in this write) under a new resourceVersion,
    /// with its MODIFIED event; returns the service as written. Status writes and the Reconciled
    /// condition the server sets when a process closes both go through it.
    @discardableResult
    func writeStatus(_ status: JSON, of existing: Service, at now: Timestamp, _ tx: WriteTransaction) throws -> Service {
        let revision = try tx.nextRevision()
        var updated = existing
        updated.status = status
        updated.metadata.resourceVersion = String(revision)
        updated.metadata.updatedAt = now
        try tx.connection.run(
            "UPDATE services SET resource_version = ?, metadata = ?, status = ? WHERE namespace = ? AND name = ?",
            .int(revision), .bytes(updated.metadata.json.serializedBytes()), .bytes(status.serializedBytes()),
            .text(existing.metadata.namespace), .text(existing.metadata.name))
        try record(updated, .modified, revision: revision, at: now, tx)
        return updated
    }

    public func deleteService(named name: String, in namespace: String, by identity: String) async throws -> Service {
        try await write { [self] tx in
            let db = tx.connection
            guard let existing = try Self.load(name, namespace, db) else { throw Self.notFound(name, namespace) }
            let now = Self.nowMS()
            try Self.cancelProcesses(ofService: name, in: namespace, db, now: now)
            return try hardDelete(existing, by: identity, tx, now: now)
        }
    }

    /// Removes the row of `existing` (as read in this write) with its history entry and DELETED
    /// event. Returns the service as removed: the revision of its removal, without the
    /// reconciler's finalizer. Deletion at once and the close of a successful `delete` process
    /// both go through it.
    @discardableResult
    func hardDelete(_ existing: Service, by identity: String, _ tx: WriteTransaction, now: Int64) throws -> Service {
        let revision = try tx.nextRevision()
        let at = Timestamp(secondsSince1970: now / 1000)
        try tx.connection.run(
            "DELETE FROM services WHERE namespace = ? AND name = ?", .text(existing.metadata.namespace),
            .text(existing.metadata.name))
        var removed = existing
        removed.metadata.resourceVersion = String(revision)
        removed.metadata.finalizers.removeAll { $0 == Self.reconcilerFinalizer }
        try Self.appendHistory(removed, change: .deleted, by: identity, at: at, tx.connection)
        try record(removed, .deleted, revision: revision, at: at, tx)
        return removed
    }

    public func service(named name: String, in namespace: String) async throws -> Service? {
        try read { db in try Self.load(name, namespace, db) }
    }

    public func serviceJSON(named name: String, in namespace: String) async throws -> [UInt8]? {
        try read { db in
            try db.first(
                "SELECT \(Self.serviceJSONColumns) FROM services WHERE namespace = ? AND name = ?",
                .text(namespace), .text(name)
            ) { Self.serviceBytes($0) }
        }
    }

    public func listServices(in namespace: String, kind: String?, labels: [String: String], page: PageRequest<String>)
        async throws -> ServiceList
    {
        try read { db in
            // One read transaction, so that the items and the revision agree.
            try db.execute("BEGIN")
            defer { try? db.execute("COMMIT") }
            var sql = "SELECT s.name, \(Self.serviceJSONColumns) FROM services s WHERE s.namespace = ?"
            var bindings: [SQLiteValue] = [.text(namespace)]
            if let kind {
                sql += " AND s.kind = ?"
                bindings.append(.text(kind))
            }
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
                sql +=
                    " AND EXISTS (SELECT 1 FROM service_labels l WHERE l.namespace = s.namespace AND l.name = s.name AND l.key = ? AND l.value = ?)"
                bindings.append(.text(key))
                bindings.append(.text(value))
            }
            page.appendClauses(to: &sql, &bindings, column: "s.name") { .text($0) }
            let rows = try db.all(sql, bindings) {
                (name: $0.text(0), bytes: Self.serviceBytes($0, from: 1))
            }
            let items = Page(rows: rows, limit: page.limit, item: \.bytes, key: \.name)
            return ServiceList(items: items.items, revision: try Self.lastRevision(db), next: items.next)
        }
    }

    /// Newest first: the key is the entry's id, and a page after key `k` holds older entries.
    public func history(ofService name: String, in namespace: String, page: PageRequest<Int64>) async throws
        -> Page<HistoryEntry, Int64>
    {
        try read { db in
            var sql = "SELECT id, generation, spec, change_type, by_identity, at FROM history WHERE namespace = ? AND name = ?"
            var bindings: [SQLiteValue] = [.text(namespace), .text(name)]
            page.appendClauses(to: &sql, &bindings, column: "id", descending: true) { .int($0) }
            let rows = try db.all(sql, bindings) { row in
                (
                    id: row.int(0),
                    entry: HistoryEntry(
                        generation: Int(row.int(1)), spec: try Self.parse(row.bytes(2), "history spec"),
                        changeType: HistoryEntry.ChangeType(rawValue: row.text(3)) ?? .updated, by: row.text(4),
                        at: Timestamp(secondsSince1970: row.int(5)))
                )
            }
            return Page(rows: rows, limit: page.limit, item: \.entry, key: \.id)
        }
    }

    /// Throws `gone` when the events after `revision` were compacted away (see
    /// ``compactedRevision(in:)``); the check and the read are one read transaction.
    public func events(in namespace: String, after revision: Int64, kind: String?, limit: Int) async throws -> [WatchEvent] {
        try read { db in
            try db.execute("BEGIN")
            defer { try? db.execute("COMMIT") }
            let compacted = try Self.compactedRevision(in: namespace, db)
            guard revision >= compacted else { throw Self.compacted(from: revision, upTo: compacted, in: namespace) }
            var sql = "SELECT revision, type, object_type, kind, name, object FROM events WHERE namespace = ? AND revision > ?"
            var bindings: [SQLiteValue] = [.text(namespace), .int(revision)]
            if let kind {
                sql += " AND kind = ?"
                bindings.append(.text(kind))
            }
            sql += " ORDER BY revision LIMIT ?"
            bindings.append(.int(Int64(limit)))
            return try db.all(sql, bindings) { row in
                WatchEvent(
                    revision: row.int(0), type: WatchEvent.EventType(rawValue: row.text(1)) ?? .modified,
                    objectType: WatchEvent.ObjectType(rawValue: row.text(2)) ?? .service, namespace: namespace,
                    kind: row.text(3), name: row.text(4), object: try Self.parse(row.bytes(5), "event object"))
            }
        }
    }
}
