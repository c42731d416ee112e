import Foundation
import JSONSchema
import Testing

/// A definition whose schema is tightened after services were stored: what `definition update`,
/// `set` and `apply` tell the user; and label rules as the CLI shows them.
@Suite("Schema tightening and labels")
struct SchemaTighteningTests {
    static let definitionName = "executordeployments.compute.colonies.io"

    /// Writes the fixture definition with `tier` added to `required` as `definition-v2.json`.
    private func writeTightenedDefinition(_ server: TestServer) throws {
        let original = try server.run("service", "definition", "get", "--name", Self.definitionName, "-o", "json").json()
        var spec = try #require(original["spec"]?.objectValue)
        var schema = try #require(spec["schema"]?.objectValue)
        var properties = try #require(schema["properties"]?.objectValue)
        properties["tier"] = .object(["type": "string"])
        schema["properties"] = .object(properties)
        schema["required"] = ["image", "executorType", "tier"]
        spec["schema"] = .object(schema)
        let updated: JSON = .object(["metadata": .object(["name": .string(Self.definitionName)]), "spec": .object(spec)])
        try updated.serialized(pretty: true).write(
            to: server.directory.appendingPathComponent("definition-v2.json"), atomically: true, encoding: .utf8)
    }

    @Test("definition update reports the services that no longer validate; set and apply still work on them")
    func tightenedSchema() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        try writeTightenedDefinition(server)

        let update = try server.run("service", "definition", "update", "--spec", "definition-v2.json")
        #expect(update.status == 0, "\(update)")
        #expect(update.stdout == """
            definition/\(Self.definitionName) updated (generation 2)
            1 of 1 existing service of kind ExecutorDeployment no longer validates: docker-executor (required field 'tier' is missing)

            """, "\(update)")

        // Changing another field of the stranded service is allowed (validation ratcheting) ...
        let set = try server.run("service", "set", "--name", "docker-executor", "--key", "spec.replicas", "--value", "5")
        #expect(set.status == 0, "\(set)")
        // ... a change that introduces a new error is not.
        let bad = try server.run("service", "set", "--name", "docker-executor", "--key", "spec.tier", "--value", "7")
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderr == "Error: service validation failed: field 'tier' must be a string, got number\n", "\(bad)")

        // apply of the unchanged service says so, and warns that it no longer validates.
        let setBack = try server.run("service", "set", "--name", "docker-executor", "--key", "spec.replicas", "--value", "3")
        #expect(setBack.status == 0, "\(setBack)")
        let apply = try server.run("apply", "-f", "docker-executor-deployment.json")
        #expect(apply.status == 0, "\(apply)")
        #expect(apply.stdout == "service/docker-executor unchanged\n", "\(apply)")
        #expect(apply.stderr == "Warning: service/docker-executor: unchanged, but does not validate against the current schema of kind ExecutorDeployment: required field 'tier' is missing\n", "\(apply)")
    }

    @Test("apply warns when a definition update strands services, and when a configured service still does not validate")
    func applyWarns() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        try writeTightenedDefinition(server)

        let definition = try server.run("apply", "-f", "definition-v2.json")
        #expect(definition.status == 0, "\(definition)")
        #expect(definition.stdout == "definition/\(Self.definitionName) configured\n", "\(definition)")
        #expect(definition.stderr == "Warning: definition/\(Self.definitionName): 1 of 1 existing service of kind ExecutorDeployment no longer validates: docker-executor (required field 'tier' is missing)\n", "\(definition)")

        var service = try JSON(parsing: String(contentsOf: server.directory.appendingPathComponent("docker-executor-deployment.json"), encoding: .utf8))
        service["spec"]?["replicas"] = 4
        try service.serialized().write(to: server.directory.appendingPathComponent("scaled.json"), atomically: true, encoding: .utf8)
        let scaled = try server.run("apply", "-f", "scaled.json")
        #expect(scaled.status == 0, "\(scaled)")
        #expect(scaled.stdout == "service/docker-executor configured\n", "\(scaled)")
        #expect(scaled.stderr == "Warning: service/docker-executor: configured, but does not validate against the current schema of kind ExecutorDeployment: required field 'tier' is missing\n", "\(scaled)")
    }

    @Test("ls -l with a malformed selector is an error naming it; a label that cannot be selected is refused")
    func labels() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)

        let ls = try server.run("service", "ls", "-l", "a==")
        #expect(ls.status == 1, "\(ls)")
        #expect(ls.stdout.isEmpty, "\(ls)")
        #expect(ls.stderr == #"Error: label selector 'a==' is malformed: the value "=" of "a" is not valid: a value must be empty, or at most 63 characters: letters, digits, '-', '_' and '.', beginning and ending with a letter or digit"# + "\n", "\(ls)")

        let set = try server.run("service", "set", "--name", "docker-executor", "--key", #"metadata.labels["app name"]"#, "--value", "web")
        #expect(set.status == 1, "\(set)")
        #expect(set.stderr == #"Error: label key "app name" is not valid: a key must be at most 63 characters: letters, digits, '-', '_' and '.', beginning and ending with a letter or digit, optionally after a prefix and '/'"# + "\n", "\(set)")

        let good = try server.run("service", "set", "--name", "docker-executor", "--key", #"metadata.labels["app.kubernetes.io/name"]"#, "--value", "web")
        #expect(good.status == 0, "\(good)")
        let selected = try server.run("service", "ls", "-l", "app.kubernetes.io/name=web", "-o", "json").json()
        #expect(selected["items"]?.arrayValue?.count == 1)
    }

    @Test("schema validate reports an undecidable pattern as too expensive, and refuses an exponential one")
    func undecidablePatterns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-patterns-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let polynomial = #"^(\w*)\w*\w*\w*\w*\w*\1!$"#
        func write(_ json: JSON, _ name: String) throws {
            try json.serialized().write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write(["properties": ["name": ["pattern": .string(polynomial)]]], "slow.json")
        try write(["properties": ["name": ["pattern": #"^(?:(a|a)*\1c|(a|a)*b)$"#]]], "exponential.json")
        try write(["name": .string(String(repeating: "a", count: 100))], "long.json")
        try write(["name": "ab"], "short.json")

        let slow = try StewardBinary.run(["schema", "validate", "--schema", "slow.json", "long.json", "short.json"], directory: directory, environment: [:])
        #expect(slow.status == 1, "\(slow)")
        #expect(slow.stdout == """
            long.json: invalid: pattern '\(polynomial)' is too expensive to evaluate on field 'name' (it needs more than the regex budget of 5000000 steps); simplify the pattern
            short.json: invalid: field 'name' must match pattern '\(polynomial)'

            """, "\(slow)")

        let exponential = try StewardBinary.run(["schema", "validate", "--schema", "exponential.json", "short.json"], directory: directory, environment: [:])
        #expect(exponential.status == 2, "\(exponential)")
        #expect(exponential.stderr.contains("can take exponential time to match"), "\(exponential)")
    }
}
