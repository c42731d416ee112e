import Foundation
import JSONSchema
import Testing

/// `steward apply -f` reads back what `ls -o yaml|json` prints.
@Suite("steward apply of a listing")
struct ApplyListTests {
    @Test("ls -o yaml|json applies back unchanged; after one edit, one object is configured", arguments: ["yaml", "json"])
    func roundTrip(format: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("apply", "-f", "stack.yaml").status == 0)
        let file = server.directory.appendingPathComponent("services.\(format)")
        let listing = try server.run("service", "ls", "-o", format)
        #expect(listing.status == 0, "\(listing)")
        try listing.stdout.write(to: file, atomically: true, encoding: .utf8)

        let unchanged = try server.run("apply", "-f", file.lastPathComponent)
        #expect(unchanged.status == 0, "\(unchanged)")
        #expect(unchanged.stdout == "service/billing-db unchanged\nservice/orders-db unchanged\n", "\(unchanged)")

        // YAML quotes a string that starts with a digit, as JSON does.
        let edited = listing.stdout.replacingOccurrences(of: #""10Gi""#, with: #""30Gi""#)
        #expect(edited != listing.stdout)
        try edited.write(to: file, atomically: true, encoding: .utf8)
        let configured = try server.run("apply", "-f", file.lastPathComponent)
        #expect(configured.status == 0, "\(configured)")
        #expect(configured.stdout == "service/billing-db unchanged\nservice/orders-db configured\n", "\(configured)")
        let orders = try server.run("service", "get", "--name", "orders-db", "-o", "json").json()
        #expect(orders["spec"]?["storage"] == "30Gi")
        #expect(orders["metadata"]?["generation"] == 2)

        // Definitions too.
        let definitions = server.directory.appendingPathComponent("definitions.\(format)")
        try server.run("service", "definition", "ls", "-o", format).stdout.write(to: definitions, atomically: true, encoding: .utf8)
        let again = try server.run("apply", "-f", definitions.lastPathComponent)
        #expect(again.status == 0, "\(again)")
        #expect(
            again.stdout == "definition/databases.storage.example.io unchanged\ndefinition/processdeployments.steward.io unchanged\n",
            "\(again)")
    }

    @Test("a stale listing is refused with a conflict, naming the object")
    func staleListing() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("apply", "-f", "stack.yaml").status == 0)
        let listing = try server.run("service", "ls", "-o", "yaml").stdout
        #expect(try server.run("service", "set", "--name", "orders-db", "--key", "spec.storage", "--value", "20Gi").status == 0)
        try listing.replacingOccurrences(of: "engine: mysql", with: "engine: postgresql")
            .replacingOccurrences(of: #"storage: "10Gi""#, with: #"storage: "40Gi""#)
            .write(to: server.directory.appendingPathComponent("stale.yaml"), atomically: true, encoding: .utf8)
        let result = try server.run("apply", "-f", "stale.yaml")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "service/billing-db configured\n", "\(result)")
        #expect(result.stderr.hasPrefix("Error: service/orders-db: service 'orders-db' was changed meanwhile"), "\(result)")
    }
}
