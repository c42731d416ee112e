import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

/// `limit` and `continue` on the list endpoints, through the router.
@Suite("API: list pages")
struct ListPagingAPITests {
    let services = "/api/v1/namespaces/default/services"

    static func names(_ response: TestResponse) -> [String] {
        response.json["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } ?? []
    }

    static func token(_ response: TestResponse) -> String? { response.json["continue"]?.stringValue }

    /// A service of the schemaless kind `Web`.
    static func web(_ name: String) -> JSON { ["kind": "Web", "metadata": ["name": .string(name)], "spec": [:]] }

    @Test func servicePagesAreStableUnderConcurrentWrites() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
            let all = (0..<25).map { "svc-\($0 < 10 ? "0" : "")\($0)" }
            for name in all { #expect(try await api.createService(Self.web(name)).status == .created) }

            let first = try await api.request(.get, "\(services)?limit=10")
            #expect(first.status == .ok)
            #expect(Self.names(first) == Array(all[0..<10]))
            let revision = first.json["revision"]
            let token = try #require(Self.token(first))

            // Between two pages: remove a listed service and one not yet listed, add one before
            // the page's end and one after it.
            #expect(try await api.request(.delete, "\(services)/svc-05").status == .ok)
            #expect(try await api.request(.delete, "\(services)/svc-12").status == .ok)
            #expect(try await api.createService(Self.web("svc-00a")).status == .created)
            #expect(try await api.createService(Self.web("svc-15a")).status == .created)

            let second = try await api.request(.get, "\(services)?limit=10&continue=\(token)")
            #expect(second.status == .ok)
            // Nothing that existed throughout is skipped (an offset would skip svc-10) or repeated.
            #expect(Self.names(second) == ["svc-10", "svc-11", "svc-13", "svc-14", "svc-15", "svc-15a", "svc-16", "svc-17", "svc-18", "svc-19"])
            #expect(second.json["revision"] == revision)
            let third = try await api.request(.get, "\(services)?limit=10&continue=\(try #require(Self.token(second)))")
            #expect(Self.names(third) == Array(all[20..<25]))
            #expect(Self.token(third) == nil)
            #expect(third.json["revision"] == revision)

            // Without a limit, the whole list in one response and no token, as before.
            let whole = try await api.request(.get, services)
            #expect(Self.names(whole).count == 25)
            #expect(whole.json["continue"] == nil)
            // A page that ends exactly at the list's end has no token.
            let exact = try await api.request(.get, "\(services)?limit=25")
            #expect(Self.names(exact).count == 25)
            #expect(Self.token(exact) == nil)
        }
    }

    @Test("limits that are not integers from 1 to 10000 are refused, naming limit",
          arguments: ["-1", "0", "abc", "1.5", "10001", "1e3", "99999999999999999999999", "%2B5"])
    func badLimit(_ limit: String) async throws {
        try await TestServer().run { api, _ in
            for path in [services, "/api/v1/namespaces/default/definitions", "/api/v1/namespaces/default/processes"] {
                let response = try await api.request(.get, "\(path)?limit=\(limit)")
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.error?.field == "limit", "\(path)")
                #expect(response.error?.message.hasPrefix("'limit' must be an integer from 1 to 10000, got ") == true)
            }
            _ = try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
            _ = try await api.createService(Self.web("a"))
            let history = try await api.request(.get, "\(services)/a/history?limit=\(limit)")
            #expect(history.status == .badRequest)
            #expect(history.error?.field == "limit")
        }
    }

    @Test func invalidAndForeignTokensAreRefusedNamingContinue() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
            _ = try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Db", name: "dbs.example.io"))
            for name in ["a", "b", "c"] { _ = try await api.createService(Self.web(name)) }
            for garbage in ["not-a-token", "eyJ2IjoxfQ", "%21%21"] {
                let response = try await api.request(.get, "\(services)?limit=1&continue=\(garbage)")
                #expect(response.status == .badRequest, "\(garbage)")
                #expect(response.error?.field == "continue", "\(garbage)")
            }
            let token = try #require(Self.token(try await api.request(.get, "\(services)?kind=Web&limit=1")))
            // The same token with another filter, on another list, in another namespace.
            let otherKind = try await api.request(.get, "\(services)?kind=Db&limit=1&continue=\(token)")
            #expect(otherKind.status == .badRequest)
            #expect(otherKind.error?.field == "continue")
            #expect(otherKind.error?.message.contains("token of another list (services in namespace 'default' with kind 'Web'") == true)
            let definitions = try await api.request(.get, "/api/v1/namespaces/default/definitions?continue=\(token)")
            #expect(definitions.status == .badRequest)
            #expect(definitions.error?.field == "continue")
            let processes = try await api.request(.get, "/api/v1/namespaces/default/processes?continue=\(token)")
            #expect(processes.error?.field == "continue")
            // With its own query it works.
            let next = try await api.request(.get, "\(services)?kind=Web&limit=1&continue=\(token)")
            #expect(Self.names(next) == ["b"])
        }
    }

    @Test func definitionAndHistoryPages() async throws {
        try await TestServer().run { api, _ in
            for kind in ["A", "B", "C"] {
                _ = try await api.createDefinition(Fixtures.schemalessDefinition(kind: kind, name: "\(kind.lowercased())s.example.io"))
            }
            let definitions = "/api/v1/namespaces/default/definitions"
            let first = try await api.request(.get, "\(definitions)?limit=2")
            #expect(Self.names(first) == ["as.example.io", "bs.example.io"])
            let second = try await api.request(.get, "\(definitions)?limit=2&continue=\(try #require(Self.token(first)))")
            #expect(Self.names(second) == ["cs.example.io"])
            #expect(Self.token(second) == nil)

            _ = try await api.createService(["kind": "A", "metadata": ["name": "x"], "spec": ["n": 0]])
            for n in 1...4 {
                _ = try await api.updateService(["kind": "A", "metadata": ["name": "x"], "spec": ["n": .int(n)]], name: "x")
            }
            var generations: [Int] = []
            var token: String?
            repeat {
                let page = try await api.request(.get, "\(services)/x/history?limit=2" + (token.map { "&continue=\($0)" } ?? ""))
                #expect(page.status == .ok)
                let items = page.json["items"]?.arrayValue ?? []
                #expect(items.count <= 2)
                generations += items.compactMap { $0["generation"]?.intValue }
                token = Self.token(page)
            } while token != nil
            #expect(generations == [5, 4, 3, 2, 1])
            #expect(try await api.request(.get, "\(services)/never/history?limit=2").status == .notFound)
        }
    }

    @Test func processPagesAndIdPrefixes() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            for n in 0..<12 { _ = try await api.createService(Fixtures.service("svc-\(n)")) }
            let processes = "/api/v1/namespaces/default/processes"
            let whole = try await api.request(.get, processes)
            let ids = whole.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.count == 12)
            var paged: [String] = []
            var token: String?
            repeat {
                let page = try await api.request(.get, "\(processes)?limit=5" + (token.map { "&continue=\($0)" } ?? ""))
                paged += page.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                #expect(page.json["uniqueIdPrefixLengths"]?.arrayValue?.count == page.json["items"]?.arrayValue?.count)
                token = Self.token(page)
            } while token != nil
            #expect(paged == ids)

            // Each id's shortest unique prefix finds it; one character less is ambiguous or finds
            // it too only when no other id starts the same.
            let lengths = whole.json["uniqueIdPrefixLengths"]?.arrayValue?.compactMap(\.intValue) ?? []
            #expect(lengths.count == 12)
            for (id, length) in zip(ids, lengths) {
                let prefix = String(id.prefix(length))
                let got = try await api.request(.get, "\(processes)/\(prefix)")
                #expect(got.status == .ok, "\(prefix)")
                #expect(got.json["id"] == .string(id))
                #expect(Set(ids.filter { $0.hasPrefix(prefix) }) == [id])
                #expect(ids.filter { $0.hasPrefix(String(id.prefix(length - 1))) }.count > 1, "\(id) \(length)")
                #expect(try await api.request(.get, "\(processes)/\(prefix.uppercased())").json["id"] == .string(id))
            }
            // Time-ordered ids made within seconds share their first characters.
            let shared = String(ids[0].prefix(4))
            let matching = ids.filter { $0.hasPrefix(shared) }.sorted()
            let ambiguous = try await api.request(.get, "\(processes)/\(shared)")
            #expect(ambiguous.status == .badRequest)
            #expect(ambiguous.error?.field == "id")
            let count = matching.count > 10 ? "more than 10" : String(matching.count)
            #expect(
                ambiguous.error?.message.hasPrefix(
                    "process id prefix '\(shared)' is ambiguous in namespace 'default': \(count) process ids start with it (\(matching[0]), \(matching[1])")
                    == true, "\(ambiguous.error?.message ?? "")")
            #expect(ambiguous.error?.message.hasSuffix("; give more characters") == true)
            let missing = try await api.request(.get, "\(processes)/ffff")
            #expect(missing.status == .notFound)
            #expect(missing.error?.message == "process 'ffff' not found in namespace 'default'")
            #expect(try await api.request(.get, "\(processes)/zz%25").status == .notFound)
        }
    }
}
