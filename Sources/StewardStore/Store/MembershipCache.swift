import Foundation
import StewardCore

/// Who belongs to which namespace, in memory: the role check runs on every request. Loaded at
/// open and updated after each committed membership change.
final class MembershipCache: @unchecked Sendable {
    private let lock = NSLock()
    private var roles: [String: [String: Role]] = [:]
    private var created: [String: Timestamp] = [:]
    /// In how many namespaces each identity has a role (derived from `roles`), so that
    /// ``isMember(_:)``, asked on every signed request, is one hash lookup.
    private var memberships: [String: Int] = [:]

    func load(namespaces: [(String, Timestamp)], members: [(namespace: String, identity: String, role: Role)]) {
        lock.lock()
        defer { lock.unlock() }
        roles.removeAll()
        created.removeAll()
        for (name, at) in namespaces {
            created[name] = at
            roles[name] = [:]
        }
        for m in members { roles[m.namespace, default: [:]][m.identity] = m.role }
        memberships = [:]
        for members in roles.values {
            for identity in members.keys { memberships[identity, default: 0] += 1 }
        }
    }

    func role(of identity: String, in namespace: String) -> Role? {
        lock.lock()
        defer { lock.unlock() }
        return roles[namespace]?[identity]
    }

    /// Whether `identity` is a member (or owner) of any namespace.
    func isMember(_ identity: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return memberships[identity] != nil
    }

    func namespaces(of identity: String) -> [Namespace] {
        lock.lock()
        defer { lock.unlock() }
        return roles.compactMap { name, members in
            members[identity].map { Namespace(name: name, createdAt: created[name] ?? Timestamp(secondsSince1970: 0), role: $0) }
        }.sorted { $0.name < $1.name }
    }

    func addNamespace(_ name: String, createdAt: Timestamp) {
        lock.lock()
        defer { lock.unlock() }
        created[name] = createdAt
        if roles[name] == nil { roles[name] = [:] }
    }

    func setRole(_ role: Role?, of identity: String, in namespace: String) {
        lock.lock()
        defer { lock.unlock() }
        let previous = roles[namespace]?[identity]
        roles[namespace, default: [:]][identity] = role
        switch (previous, role) {
        case (nil, .some): memberships[identity, default: 0] += 1
        case (.some, nil):
            let remaining = (memberships[identity] ?? 1) - 1
            memberships[identity] = remaining > 0 ? remaining : nil
        default: break
        }
    }
}
