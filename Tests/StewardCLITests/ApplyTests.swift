import Foundation
import JSONSchema
import Testing

/// `steward apply -f`: created, configured and unchanged, definitions before services.
@Suite("steward apply")
struct ApplyTests {
    @Test("a YAML stack is created, then unchanged, then configured after an edit")
    func createdUnchangedConfigured() throws {
        let server = try TestServer()
        defer { server.stop() }

        let first = try server.run("apply", "-f", "stack.yaml")
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout == """
            definition/databases.storage.example.io created
            service/orders-db created
            service/billing-db created

            """, "\(first)")

        // Defaults filled in by the server (port 5432) do not count as a change.
        let second = try server.run("apply", "-f", "stack.yaml")
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout == """
            definition/databases.storage.example.io unchanged
            service/orders-db unchanged
            service/billing-db unchanged

            """, "\(second)")
        let before = try server.run("service", "get", "--name", "orders-db", "-o", "json").json()

        let edited = try String(contentsOf: server.directory.appendingPathComponent("stack.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "storage: 10Gi", with: "storage: 20Gi")
            .replacingOccurrences(of: "team: billing", with: "team: finance")
        try edited.write(to: server.directory.appendingPathComponent("edited.yaml"), atomically: true, encoding: .utf8)
        let third = try server.run("apply", "-f", "edited.yaml")
        #expect(third.status == 0, "\(third)")
        #expect(third.stdout == """
            definition/databases.storage.example.io unchanged
            service/orders-db configured
            service/billing-db configured

            """, "\(third)")

        let orders = try server.run("service", "get", "--name", "orders-db", "-o", "json").json()
        #expect(orders["spec"]?["storage"] == "20Gi")
        #expect(orders["spec"]?["port"] == 5432)
        #expect(orders["metadata"]?["generation"] == 2)
        #expect(before["metadata"]?["generation"] == 1)
        let billing = try server.run("service", "ls", "-l", "team=finance", "-o", "json").json()
        #expect(billing["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } == ["billing-db"])
        // Only the label changed: the spec, and so the generation, did not.
        #expect(billing["items"]?[0]?["metadata"]?["generation"] == 1)
    }

    @Test("definitions are applied before services whatever the file order, and JSON files work")
    func definitionsFirst() throws {
        let server = try TestServer()
        defer { server.stop() }
        let service = try String(contentsOf: server.directory.appendingPathComponent("docker-executor-deployment.json"), encoding: .utf8)
        let definition = try String(contentsOf: server.directory.appendingPathComponent("executor-deployment-definition.json"), encoding: .utf8)
        try "[\(service), \(definition)]".write(
            to: server.directory.appendingPathComponent("both.json"), atomically: true, encoding: .utf8)
        let result = try server.run("apply", "-f", "both.json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == """
            definition/executordeployments.compute.colonies.io created
            service/docker-executor created

            """, "\(result)")
        let json = try server.run("apply", "-f", "both.json", "-o", "json").json()
        #expect(json["items"]?.arrayValue?.compactMap { $0["result"]?.stringValue } == ["unchanged", "unchanged"])
    }

    @Test("a document that is neither a definition nor a service is refused, naming the file")
    func unknownDocument() throws {
        let server = try TestServer()
        defer { server.stop() }
        try "metadata:\n  name: x\nspec: {}\n".write(
            to: server.directory.appendingPathComponent("odd.yaml"), atomically: true, encoding: .utf8)
        let result = try server.run("apply", "-f", "odd.yaml")
        #expect(result.status == 1)
        #expect(result.stderr == "Error: document 1 of odd.yaml is neither a definition (it has no spec.names.kind) nor a service (it has no kind)\n", "\(result)")
    }

    @Test("a document's metadata.namespace chooses its namespace")
    func documentNamespace() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("namespace", "add", "--name", "team-a").status == 0)
        let stack = try String(contentsOf: server.directory.appendingPathComponent("stack.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  name: orders-db\n", with: "  name: orders-db\n  namespace: team-a\n")
            .replacingOccurrences(of: "  name: databases.storage.example.io\n", with: "  name: databases.storage.example.io\n  namespace: team-a\n")
        try stack.write(to: server.directory.appendingPathComponent("split.yaml"), atomically: true, encoding: .utf8)
        // billing-db stays in default, where its kind is not defined yet.
        let failed = try server.run("apply", "-f", "split.yaml")
        #expect(failed.status == 1, "\(failed)")
        #expect(failed.stdout == "definition/databases.storage.example.io created\nservice/orders-db created\n", "\(failed)")
        #expect(failed.stderr.hasPrefix("Error: service/billing-db: "), "\(failed)")
        let inTeam = try server.run("service", "ls", "--namespace", "team-a", "-o", "json").json()
        #expect(inTeam["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } == ["orders-db"])
        let inDefault = try server.run("service", "ls", "-o", "json").json()
        #expect(inDefault["items"] == .array([]))
    }
}
