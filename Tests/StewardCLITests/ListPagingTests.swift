import Foundation
import JSONSchema
import Testing

/// The list commands read page by page and print the same as one read; `process ls` shows ids
/// that are unique and that `process get` takes.
@Suite("steward … ls in pages")
struct ListPagingTests {
    /// Writes `count` services of the stack's kind `Database` (named `db-000`…) to `file`.
    static func writeServices(_ count: Int, to file: URL) throws {
        let documents = (0..<count).map { n in
            let name = "db-" + String(String(n + 1000).dropFirst())
            return "kind: Database\nmetadata:\n  name: \(name)\n  labels:\n    n: \"\(n)\"\nspec:\n  engine: postgresql\n"
        }
        try documents.joined(separator: "---\n").write(to: file, atomically: true, encoding: .utf8)
    }

    @Test("service ls, definition ls and history print the same in pages of 2 as in one read")
    func pagesPrintTheSame() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("apply", "-f", "stack.yaml").status == 0)
        try Self.writeServices(7, to: server.directory.appendingPathComponent("many.yaml"))
        #expect(try server.run("apply", "-f", "many.yaml").status == 0)
        for n in 1...4 {
            #expect(try server.run("service", "set", "--name", "orders-db", "--key", "spec.storage", "--value", "\(n)Gi").status == 0)
        }
        for command in [["service", "ls"], ["service", "definition", "ls"], ["service", "history", "--name", "orders-db"]] {
            for format in ["table", "json", "yaml"] {
                let whole = try server.run(command + ["-o", format, "--chunk-size", "0"])
                let paged = try server.run(command + ["-o", format, "--chunk-size", "2"])
                #expect(whole.status == 0, "\(whole)")
                #expect(paged.status == 0, "\(paged)")
                #expect(paged.stdout == whole.stdout, "\(paged)\n\(whole)")
            }
        }
        let list = try server.run("service", "ls", "-o", "json", "--chunk-size", "3").json()
        #expect(list["items"]?.arrayValue?.count == 9)
        #expect(list["revision"]?.intValue != nil)
        let history = try server.run("service", "history", "--name", "orders-db", "-o", "json", "--chunk-size", "2").json()
        #expect(history["items"]?.arrayValue?.compactMap { $0["generation"]?.intValue } == [5, 4, 3, 2, 1])
        let empty = try server.run("service", "ls", "--kind", "Nothing", "-o", "json", "--chunk-size", "2")
        #expect(empty.stdout == "{\n  \"items\": [],\n  \"revision\": \(list["revision"]?.intValue ?? -1)\n}\n", "\(empty)")
        let emptyYAML = try server.run("service", "ls", "--kind", "Nothing", "-o", "yaml")
        #expect(emptyYAML.stdout.hasPrefix("items: []\nrevision: "), "\(emptyYAML)")

        let bad = try server.run("service", "ls", "--chunk-size=-1")
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("--chunk-size must be from 0 to 10000, got -1"), "\(bad)")
    }

    @Test("process ls shows 100 ids made together, each unique, and process get takes them")
    func processIDs() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("apply", "-f", "stack.yaml").status == 0)
        try Self.writeServices(98, to: server.directory.appendingPathComponent("many.yaml"))
        #expect(try server.run("apply", "-f", "many.yaml").status == 0)

        let table = try server.run("process", "ls")
        #expect(table.status == 0, "\(table)")
        let shown = table.stdout.split(separator: "\n").filter { $0.hasPrefix("│ 0") }.map {
            String($0.dropFirst(2).prefix { $0 != " " })
        }
        #expect(shown.count == 100, "\(table)")
        #expect(Set(shown).count == 100, "\(shown)")
        #expect(shown.allSatisfy { $0.count >= 8 && $0.count < 36 }, "\(shown)")

        let json = try server.run("process", "ls", "-o", "json").json()
        let ids = json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(zip(shown, ids).allSatisfy { $1.hasPrefix($0) })
        #expect(try server.run("process", "ls", "-o", "json", "--chunk-size", "7").stdout == (try server.run("process", "ls", "-o", "json").stdout))
        #expect(try server.run("process", "ls", "-o", "json", "--limit", "10", "--chunk-size", "3").json()["items"]?.arrayValue?.count == 10)

        for (prefix, id) in zip(shown, ids).prefix(3) {
            let got = try server.run("process", "get", "--id", prefix, "-o", "json")
            #expect(got.status == 0, "\(got)")
            #expect(try got.json()["id"]?.stringValue == id)
        }
        let shared = String(ids[0].prefix(4))
        let ambiguous = try server.run("process", "get", "--id", shared)
        #expect(ambiguous.status == 1, "\(ambiguous)")
        #expect(ambiguous.stderr.hasPrefix("Error: process id prefix '\(shared)' is ambiguous in namespace 'default': "), "\(ambiguous)")
        let missing = try server.run("process", "get", "--id", "ffffffff")
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr == "Error: process 'ffffffff' not found in namespace 'default'\n", "\(missing)")
    }
}
