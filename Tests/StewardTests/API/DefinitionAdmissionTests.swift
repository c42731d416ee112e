import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

/// What a definition's schema must satisfy to be stored: its defaults satisfy their own
/// subschemas, and a pattern's answer is never silently "does not match".
@Suite("API: definition admission")
struct DefinitionAdmissionTests {
    let definitions = "/api/v1/namespaces/default/definitions"
    let name = "executordeployments.compute.colonies.io"

    /// The fixture definition with `schema` merged into the schema's `properties`.
    func definition(properties: JSON) -> JSON {
        var definition = Fixtures.executorDeploymentDefinition
        for (key, value) in properties.objectValue ?? [:] {
            definition["spec"]?["schema"]?["properties"]?[key] = value
        }
        return definition
    }

    @Test func aDefaultOfTheWrongTypeIsRefusedOnAddAndUpdate() async throws {
        try await TestServer().run { api, _ in
            let bad = definition(properties: ["port": ["type": "integer", "default": "eighty"]])
            let refused = try await api.createDefinition(bad)
            #expect(refused.status == .badRequest)
            #expect(refused.error?.field == "spec.schema.properties.port.default")
            #expect(refused.error?.message == #"the definition's schema is invalid: invalid schema at '/properties/port/default': the default "eighty" does not satisfy its own schema: value must be an integer, got string (at /properties/port/type)"#)
            #expect(try await api.request(.get, "\(definitions)/\(name)").status == .notFound)

            #expect(try await api.createDefinition(Fixtures.executorDeploymentDefinition).status == .created)
            let tooLow = definition(properties: ["replicas": ["type": "integer", "minimum": 1, "default": 0]])
            let update = try await api.request(.put, "\(definitions)/\(name)", json: tooLow)
            #expect(update.status == .badRequest)
            #expect(update.error?.field == "spec.schema.properties.replicas.default")
            #expect(update.error?.message.contains("the default 0 does not satisfy its own schema: value must be at least 1, got 0") == true)
            // The stored definition is untouched.
            let stored = try await api.request(.get, "\(definitions)/\(name)")
            #expect(stored.json["metadata"]?["generation"] == 1)
            #expect(stored.json["spec"]?["schema"]?["properties"]?["replicas"]?["minimum"] == nil)
        }
    }

    @Test func anExponentialPatternIsRefusedAndAnUndecidedOneIsAValidationError() async throws {
        try await TestServer().run { api, _ in
            let exponential = #"^(?:(a|a)*\1c|(a|a)*b)$"#
            let refused = try await api.createDefinition(definition(properties: ["image": ["type": "string", "pattern": .string(exponential)]]))
            #expect(refused.status == .badRequest)
            #expect(refused.error?.field == "spec.schema.properties.image.pattern")
            #expect(refused.error?.message.contains("can take exponential time to match") == true)

            let polynomial = #"^(\w*)\w*\w*\w*\w*\w*\1!$"#
            let withPattern = definition(properties: ["image": ["type": "string", "pattern": .string(polynomial)]])
            #expect(try await api.createDefinition(withPattern).status == .created)
            let undecided = try await api.createService(Fixtures.service("slow", image: String(repeating: "a", count: 100)))
            #expect(undecided.status == .badRequest)
            #expect(undecided.error?.field == "spec.image")
            #expect(undecided.error?.message.hasPrefix("service validation failed: pattern '\(polynomial)' is too expensive to evaluate on field 'image'") == true)
            let mismatch = try await api.createService(Fixtures.service("short", image: "ab"))
            #expect(mismatch.error?.message == "service validation failed: field 'image' must match pattern '\(polynomial)'")
            #expect(try await api.createService(Fixtures.service("decided", image: "aa!")).status == .created)
        }
    }

    @Test func aStoredDefinitionWithAnExponentialPatternKeepsWorking() async throws {
        // Stored before such patterns were refused (written to the store directly): its
        // services are still admitted, and a value the pattern cannot decide is an error.
        try await TestServer().run { api, components in
            let exponential = #"^(?:(a|a)*\1c|(a|a)*b)$"#
            let stored = try ServiceDefinition(json: definition(properties: ["image": ["type": "string", "pattern": .string(exponential)]]))
            _ = try await components.store.createDefinition(stored, in: "default")
            #expect(try await api.createService(Fixtures.service("short", image: "aab")).status == .created)
            let undecided = try await api.createService(Fixtures.service("long", image: String(repeating: "a", count: 20) + "b"))
            #expect(undecided.status == .badRequest)
            #expect(undecided.error?.message.hasPrefix("service validation failed: pattern '\(exponential)' is too expensive to evaluate on field 'image'") == true)
        }
    }
}
