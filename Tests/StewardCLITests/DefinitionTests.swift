import Foundation
import JSONSchema
import Testing

/// `steward service definition update`, and the errors a definition can meet.
@Suite("Service definitions")
struct DefinitionTests {
    @Test("update replaces the schema; the new defaults apply to services added after")
    func update() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        let original = try server.run("service", "definition", "get", "--name", "executordeployments.compute.colonies.io", "-o", "json").json()
        var spec = try #require(original["spec"]?.objectValue)
        var schema = try #require(spec["schema"]?.objectValue)
        var properties = try #require(schema["properties"]?.objectValue)
        properties["restartPolicy"] = .object(["type": "string", "enum": ["always", "never"], "default": "always"])
        schema["properties"] = .object(properties)
        spec["schema"] = .object(schema)
        let updated: JSON = .object(["metadata": .object(["name": "executordeployments.compute.colonies.io"]), "spec": .object(spec)])
        try updated.serialized(pretty: true).write(to: server.directory.appendingPathComponent("definition-v2.json"), atomically: true, encoding: .utf8)

        let result = try server.run("service", "definition", "update", "--spec", "definition-v2.json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("definition/executordeployments.compute.colonies.io updated"), "\(result)")
        let get = try server.run("service", "definition", "get", "--name", "executordeployments.compute.colonies.io")
        #expect(get.stdout.contains("│ restartPolicy │ string (always|never) │ no       │ always  │"), "\(get)")

        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        let service = try server.run("service", "get", "--name", "docker-executor", "-o", "json").json()
        #expect(service["spec"]?["restartPolicy"] == "always")
        let invalid = try server.run("service", "set", "--name", "docker-executor", "--key", "spec.restartPolicy", "--value", "sometimes")
        #expect(invalid.status == 1, "\(invalid)")
        #expect(invalid.stderr.hasPrefix("Error: service validation failed"), "\(invalid)")
    }

    @Test("an invalid schema is refused with the reason, and a second definition of a kind with a conflict")
    func refused() throws {
        let server = try TestServer()
        defer { server.stop() }
        try #"{"metadata":{"name":"bad.example.io"},"spec":{"group":"example.io","version":"v1","names":{"kind":"Bad"},"schema":{"type":"strnig"}}}"#
            .write(to: server.directory.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let bad = try server.run("service", "definition", "add", "--spec", "bad.json")
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderr.hasPrefix("Error: ") && bad.stderr.contains("strnig"), "\(bad)")

        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        let again = try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json")
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr.hasPrefix("Error: "), "\(again)")

        let unknownKind = try server.run("service", "add", "--spec", "stack.yaml")
        #expect(unknownKind.status == 1, "\(unknownKind)")
        #expect(unknownKind.stderr.contains("holds 3 documents"), "\(unknownKind)")
    }
}
