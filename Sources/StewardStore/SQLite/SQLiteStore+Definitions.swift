import JSONSchema
import StewardCore

extension SQLiteStore {
    static let definitionColumns =
        "namespace, name, kind, uid, generation, resource_version, created_at, updated_at, spec"

    static func definition(from row: SQLiteStatement) throws -> ServiceDefinition {
        let spec = try DefinitionSpec(json: try parse(row.bytes(8), "definition spec"))
        return ServiceDefinition(
            metadata: DefinitionMetadata(
                name: row.text(1), namespace: row.text(0), uid: row.text(3), generation: Int(row.int(4)),
                resourceVersion: String(row.int(5)), createdAt: Timestamp(secondsSince1970: row.int(6)),
                updatedAt: Timestamp(secondsSince1970: row.int(7))),
            spec: spec)
    }

    /// The definition of `kind` in `namespace` as the writer sees it (its cache, else the
    /// database).
    static func definition(forKind kind: String, in namespace: String, _ tx: WriteTransaction) throws -> ServiceDefinition? {
        if let cached = tx.state.cachedDefinition(namespace: namespace, kind: kind) { return cached }
        let found = try loadDefinition(kind: kind, in: namespace, tx.connection)
        tx.state.setDefinition(found, namespace: namespace, kind: kind)
        return found
    }

    /// The definition of `kind` in `namespace`, read on `db` (kinds are unique per namespace).
    static func loadDefinition(kind: String, in namespace: String, _ db: SQLiteConnection) throws -> ServiceDefinition? {
        try db.first(
            "SELECT \(definitionColumns) FROM definitions WHERE namespace = ? AND kind = ?", .text(namespace), .text(kind),
            map: definition(from:))
    }

    public func createDefinition(_ definition: ServiceDefinition, in namespace: String) async throws -> ServiceDefinition {
        try NameRules.validateDefinitionName(definition.metadata.name)
        return try await write { [self] tx in
            let db = tx.connection
            let name = definition.metadata.name
            let kind = definition.kind
            if try db.first(
                "SELECT 1 FROM definitions WHERE namespace = ? AND name = ?", .text(namespace), .text(name), map: { _ in true }) != nil
            {
                throw StewardError.conflict(
                    "ServiceDefinition '\(name)' already exists in namespace '\(namespace)'", field: "metadata.name")
            }
            if let other = try Self.definition(forKind: kind, in: namespace, tx) {
                throw StewardError.conflict(
                    "kind '\(kind)' is already defined in namespace '\(namespace)' by ServiceDefinition '\(other.metadata.name)'",
                    field: "spec.names.kind")
            }
            let revision = try tx.nextRevision()
            let now = Timestamp.now()
            var stored = definition
            stored.metadata = DefinitionMetadata(
                name: name, namespace: namespace, uid: Self.newUID(), generation: 1,
                resourceVersion: String(revision), createdAt: now, updatedAt: now)
            try db.run(
                "INSERT INTO definitions (\(Self.definitionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                .text(namespace), .text(name), .text(kind), .text(stored.metadata.uid), .int(1), .int(revision),
                .int(now.secondsSince1970), .int(now.secondsSince1970), .bytes(stored.spec.json.serializedBytes()))
            let object = stored.json
            try recordEvent(
                objectType: .definition, type: .added, namespace: namespace, kind: kind, name: name, object: object,
                revision: revision, at: now, tx)
            tx.onRelease { $0.setDefinition(stored, namespace: namespace, kind: kind) }
            return stored
        }
    }

    public func updateDefinition(_ definition: ServiceDefinition, in namespace: String) async throws -> ServiceDefinition {
        try await write { [self] tx in
            let db = tx.connection
            let name = definition.metadata.name
            guard
                let existing = try db.first(
                    "SELECT \(Self.definitionColumns) FROM definitions WHERE namespace = ? AND name = ?",
                    .text(namespace), .text(name), map: Self.definition(from:))
            else {
                throw StewardError.notFound("ServiceDefinition '\(name)' not found in namespace '\(namespace)'")
            }
            if let given = definition.metadata.resourceVersion, given != existing.metadata.resourceVersion {
                throw StewardError.conflict(
                    "ServiceDefinition '\(name)' was changed meanwhile: resourceVersion \(given) is stale, the current one is \(existing.metadata.resourceVersion ?? "?"); read it again and retry",
                    field: "metadata.resourceVersion")
            }
            let oldKind = existing.kind
            let newKind = definition.kind
            if oldKind != newKind {
                if let other = try Self.definition(forKind: newKind, in: namespace, tx) {
                    throw StewardError.conflict(
                        "kind '\(newKind)' is already defined in namespace '\(namespace)' by ServiceDefinition '\(other.metadata.name)'",
                        field: "spec.names.kind")
                }
                let count = try Self.serviceCount(kind: oldKind, namespace: namespace, db)
                if count > 0 {
                    throw StewardError.conflict(
                        "\(count) service(s) of kind '\(oldKind)' still exist; the kind of ServiceDefinition '\(name)' cannot change while they do",
                        field: "spec.names.kind")
                }
            }
            let revision = try tx.nextRevision()
            let now = Timestamp.now()
            var stored = existing
            let specChanged = definition.spec.json != existing.spec.json
            stored.spec = definition.spec
            stored.metadata.generation = existing.metadata.generation + (specChanged ? 1 : 0)
            stored.metadata.resourceVersion = String(revision)
            stored.metadata.updatedAt = now
            try db.run(
                """
                UPDATE definitions SET kind = ?, generation = ?, resource_version = ?, updated_at = ?, spec = ?
                WHERE namespace = ? AND name = ?
                """,
                .text(newKind), .int(stored.metadata.generation), .int(revision), .int(now.secondsSince1970),
                .bytes(stored.spec.json.serializedBytes()), .text(namespace), .text(name))
            let object = stored.json
            try recordEvent(
                objectType: .definition, type: .modified, namespace: namespace, kind: newKind, name: name,
                object: object, revision: revision, at: now, tx)
            tx.onRelease { state in
                state.removeDefinition(namespace: namespace, kind: oldKind)
                state.setDefinition(stored, namespace: namespace, kind: newKind)
            }
            return stored
        }
    }

    public func deleteDefinition(named name: String, in namespace: String) async throws -> ServiceDefinition {
        try await write { [self] tx in
            let db = tx.connection
            guard
                let existing = try db.first(
                    "SELECT \(Self.definitionColumns) FROM definitions WHERE namespace = ? AND name = ?",
                    .text(namespace), .text(name), map: Self.definition(from:))
            else {
                throw StewardError.notFound("ServiceDefinition '\(name)' not found in namespace '\(namespace)'")
            }
            let kind = existing.kind
            let count = try Self.serviceCount(kind: kind, namespace: namespace, db)
            guard count == 0 else {
                throw StewardError.conflict("\(count) service(s) of kind '\(kind)' still exist")
            }
            let revision = try tx.nextRevision()
            let now = Timestamp.now()
            try db.run("DELETE FROM definitions WHERE namespace = ? AND name = ?", .text(namespace), .text(name))
            var removed = existing
            removed.metadata.resourceVersion = String(revision)
            let object = removed.json
            try recordEvent(
                objectType: .definition, type: .deleted, namespace: namespace, kind: kind, name: name, object: object,
                revision: revision, at: now, tx)
            tx.onRelease { $0.setDefinition(nil, namespace: namespace, kind: kind) }
            return removed
        }
    }

    static func serviceCount(kind: String, namespace: String, _ db: SQLiteConnection) throws -> Int {
        Int(
            try db.first(
                "SELECT count(*) FROM services WHERE namespace = ? AND kind = ?", .text(namespace), .text(kind)
            ) { $0.int(0) } ?? 0)
    }

    public func definition(named name: String, in namespace: String) async throws -> ServiceDefinition? {
        try read { db in
            try db.first(
                "SELECT \(Self.definitionColumns) FROM definitions WHERE namespace = ? AND name = ?",
                .text(namespace), .text(name), map: Self.definition(from:))
        }
    }

    public func definition(ofKind kind: String, in namespace: String) async throws -> ServiceDefinition? {
        try read { db in try Self.loadDefinition(kind: kind, in: namespace, db) }
    }

    public func definitions(in namespace: String, page: PageRequest<String>) async throws -> Page<ServiceDefinition, String> {
        try read { db in
            var sql = "SELECT \(Self.definitionColumns) FROM definitions WHERE namespace = ?"
            var bindings: [SQLiteValue] = [.text(namespace)]
            page.appendClauses(to: &sql, &bindings, column: "name") { .text($0) }
            let rows = try db.all(sql, bindings, map: Self.definition(from:))
            return Page(rows: rows, limit: page.limit, item: { $0 }, key: \.metadata.name)
        }
    }
}
