import JSONSchema
import StewardCore
import Testing

@testable import steward

/// `steward apply`'s schemas: listed once per namespace, compiled per kind on first use.
@Suite("apply's schema cache")
struct ApplySchemaCacheTests {
    /// Counts what the cache lists and compiles.
    final class Counter: @unchecked Sendable {
        var listings: [String] = []
        var compiled: [JSON] = []
    }

    static func definition(_ plural: String, kind: String, schema: JSON?) throws -> ServiceDefinition {
        var spec: JSONObject = ["names": ["kind": .string(kind), "plural": .string(plural)]]
        if let schema { spec["schema"] = schema }
        return try ServiceDefinition(json: ["metadata": ["name": .string("\(plural).example.io")], "spec": .object(spec)])
    }

    static func schema(defaultReplicas: Int) -> JSON {
        ["type": "object", "properties": ["replicas": ["type": "integer", "default": .int(defaultReplicas)]]]
    }

    static let definitions: [ServiceDefinition] = {
        do {
            return [
                try definition("webs", kind: "Web", schema: schema(defaultReplicas: 1)),
                try definition("dbs", kind: "Database", schema: schema(defaultReplicas: 3)),
                try definition("queues", kind: "Queue", schema: schema(defaultReplicas: 5)),
                try definition("plains", kind: "Plain", schema: nil),
                try definition("brokens", kind: "Broken", schema: ["type": "no-such-type"]),
            ]
        } catch {
            fatalError("test definitions do not parse: \(error)")
        }
    }()

    static func cache(_ counter: Counter) -> ApplySchemaCache {
        ApplySchemaCache { schema in
            counter.compiled.append(schema)
            return try SchemaValidator(schema)
        }
    }

    @Test("a service of one kind compiles only that kind's schema, once")
    func compilesOnlyTheKindUsed() async throws {
        let counter = Counter()
        var cache = Self.cache(counter)
        for _ in 0..<3 {
            let validator = try await cache.validator(of: "Database", namespace: "default") {
                counter.listings.append("default")
                return Self.definitions
            }
            #expect(validator?.applyingDefaults(to: ["image": "pg"]) == ["image": "pg", "replicas": 3])
        }
        #expect(counter.listings == ["default"])
        #expect(counter.compiled == [Self.schema(defaultReplicas: 3)])

        _ = try await cache.validator(of: "Web", namespace: "default") { Issue.record("listed twice"); return [] }
        #expect(counter.compiled == [Self.schema(defaultReplicas: 3), Self.schema(defaultReplicas: 1)])
    }

    @Test("a kind without a definition, without a schema or with a broken one has no validator")
    func noValidator() async throws {
        let counter = Counter()
        var cache = Self.cache(counter)
        for kind in ["Unknown", "Plain", "Broken", "Broken"] {
            #expect(try await cache.validator(of: kind, namespace: "default") { Self.definitions } == nil)
        }
        // The broken schema was tried once; the others were not compiled.
        #expect(counter.compiled == [["type": "no-such-type"]])
    }

    @Test("each namespace's definitions are listed once, and its kinds are its own")
    func perNamespace() async throws {
        let counter = Counter()
        var cache = Self.cache(counter)
        let web = try Self.definition("webs", kind: "Web", schema: Self.schema(defaultReplicas: 7))
        for namespace in ["default", "team", "default", "team"] {
            let validator = try await cache.validator(of: "Web", namespace: namespace) {
                counter.listings.append(namespace)
                return namespace == "team" ? [web] : Self.definitions
            }
            let replicas = namespace == "team" ? 7 : 1
            #expect(validator?.applyingDefaults(to: [:]) == ["replicas": .int(replicas)])
        }
        #expect(counter.listings == ["default", "team"])
        #expect(counter.compiled.count == 2)
    }
}
