import StewardCore

extension SQLiteStore {
    public func ensureNamespace(_ namespace: String, owner: String) async throws -> Bool {
        let exists = try read { db in
            try db.first("SELECT 1 FROM namespaces WHERE name = ?", .text(namespace)) { _ in true } ?? false
        }
        guard !exists else { return false }
        do {
            _ = try await createNamespace(namespace, owner: owner)
            return true
        } catch let error as StewardError where error.code == .conflict {
            // Created meanwhile by another caller.
            return false
        }
    }

    public func createNamespace(_ namespace: String, owner: String) async throws -> Namespace {
        try NameRules.validateNamespaceName(namespace)
        if let problem = Identity.problem(withID: owner) {
            throw StewardError.invalidInput("owner '\(owner)' is refused as an identity id: it \(problem)", field: "owner")
        }
        let memberships = self.memberships
        return try await write { tx in
            let db = tx.connection
            if try db.first("SELECT 1 FROM namespaces WHERE name = ?", .text(namespace), map: { _ in true }) != nil {
                throw StewardError.conflict("namespace '\(namespace)' already exists", field: "name")
            }
            let now = Timestamp.now()
            try db.run("INSERT INTO namespaces (name, created_at) VALUES (?, ?)", .text(namespace), .int(now.secondsSince1970))
            try db.run(
                "INSERT INTO members (namespace, identity, role, added_at) VALUES (?, ?, 'owner', ?)",
                .text(namespace), .text(owner), .int(now.secondsSince1970))
            tx.onCommit {
                memberships.addNamespace(namespace, createdAt: now)
                memberships.setRole(.owner, of: owner, in: namespace)
            }
            return Namespace(name: namespace, createdAt: now, role: .owner)
        }
    }

    public func namespaces(of identity: String) async throws -> [Namespace] {
        memberships.namespaces(of: identity)
    }

    public func role(of identity: String, in namespace: String) -> Role? {
        memberships.role(of: identity, in: namespace)
    }

    /// Whether `identity` is a member (or owner) of any namespace. Served from memory.
    public func isMemberOfAnyNamespace(_ identity: String) -> Bool {
        memberships.isMember(identity)
    }

    public func members(of namespace: String) async throws -> [Member] {
        try read { db in
            try db.all(
                "SELECT identity, role, added_at FROM members WHERE namespace = ? ORDER BY added_at, identity",
                [.text(namespace)]
            ) { row in
                Member(
                    id: row.text(0), role: Role(rawValue: row.text(1)) ?? .member,
                    addedAt: Timestamp(secondsSince1970: row.int(2)))
            }
        }
    }

    public func addMember(_ identity: String, role: Role, to namespace: String) async throws -> Member {
        if let problem = Identity.problem(withID: identity) {
            throw StewardError.invalidInput("'\(identity)' is refused as an identity id: it \(problem)", field: "id")
        }
        let memberships = self.memberships
        return try await write { tx in
            let db = tx.connection
            let existing = try db.first(
                "SELECT role, added_at FROM members WHERE namespace = ? AND identity = ?", .text(namespace), .text(identity)
            ) { (Role(rawValue: $0.text(0)) ?? .member, Timestamp(secondsSince1970: $0.int(1))) }
            if let existing, existing.0 == .owner, role != .owner {
                try Self.requireAnotherOwner(db, namespace: namespace, besides: identity, action: "demote")
            }
            let addedAt = existing?.1 ?? Timestamp.now()
            try db.run(
                """
                INSERT INTO members (namespace, identity, role, added_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (namespace, identity) DO UPDATE SET role = excluded.role
                """,
                .text(namespace), .text(identity), .text(role.rawValue), .int(addedAt.secondsSince1970))
            tx.onCommit { memberships.setRole(role, of: identity, in: namespace) }
            return Member(id: identity, role: role, addedAt: addedAt)
        }
    }

    public func removeMember(_ identity: String, from namespace: String) async throws {
        let memberships = self.memberships
        try await write { tx in
            let db = tx.connection
            guard
                let role = try db.first(
                    "SELECT role FROM members WHERE namespace = ? AND identity = ?", .text(namespace), .text(identity),
                    map: { Role(rawValue: $0.text(0)) ?? .member })
            else {
                throw StewardError.notFound("'\(identity)' is not a member of namespace '\(namespace)'")
            }
            if role == .owner {
                try Self.requireAnotherOwner(db, namespace: namespace, besides: identity, action: "remove")
            }
            try db.run("DELETE FROM members WHERE namespace = ? AND identity = ?", .text(namespace), .text(identity))
            tx.onCommit { memberships.setRole(nil, of: identity, in: namespace) }
        }
    }

    private static func requireAnotherOwner(_ db: SQLiteConnection, namespace: String, besides identity: String, action: String) throws {
        let others = try db.first(
            "SELECT count(*) FROM members WHERE namespace = ? AND role = 'owner' AND identity <> ?",
            .text(namespace), .text(identity)
        ) { $0.int(0) } ?? 0
        guard others > 0 else {
            throw StewardError.conflict(
                "cannot \(action) the last owner of namespace '\(namespace)': add another owner first")
        }
    }
}

extension SQLiteStore {
    /// The names of every namespace, sorted.
    public func allNamespaceNames() async throws -> [String] {
        try read { db in try db.all("SELECT name FROM namespaces ORDER BY name", []) { $0.text(0) } }
    }
}
