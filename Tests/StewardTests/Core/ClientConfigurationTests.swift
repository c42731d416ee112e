import Foundation
import JSONSchema
import StewardCore
import Testing

@Suite("Client configuration contexts")
struct ClientConfigurationTests {
    @Test("a server adds its context and keeps the others; it becomes current only when none is, or at the same address")
    func register() {
        var configuration = ClientConfiguration()
        let first = configuration.register(serverURL: "http://127.0.0.1:7700", dataDirectory: "/a/.steward", ownerKeyPath: "/a/.steward/keys/owner.key")
        #expect(first.isCurrent)
        #expect(configuration.currentContext == "/a/.steward")

        let second = configuration.register(serverURL: "http://127.0.0.1:7701", dataDirectory: "/b/.steward", ownerKeyPath: "/b/.steward/keys/owner.key")
        #expect(!second.isCurrent)
        #expect(second.otherCurrent == "/a/.steward")
        #expect(configuration.contexts.map(\.name) == ["/a/.steward", "/b/.steward"])
        #expect(configuration.currentContext == "/a/.steward")

        // The first comes back on another port: its context moves, nothing is added.
        configuration.register(serverURL: "http://127.0.0.1:7702", dataDirectory: "/a/.steward", ownerKeyPath: "/a/.steward/keys/owner.key")
        #expect(configuration.contexts.count == 2)
        #expect(configuration.context(named: "/a/.steward")?.server == "http://127.0.0.1:7702")

        // A third server where the current context points takes it over.
        let third = configuration.register(serverURL: "http://127.0.0.1:7702", dataDirectory: "/c/.steward", ownerKeyPath: "/c/.steward/keys/owner.key")
        #expect(third.isCurrent)
        #expect(configuration.currentContext == "/c/.steward")
        #expect(configuration.contexts.count == 3)
    }

    @Test("a namespace chosen in a context survives the server's next start")
    func keepsNamespace() throws {
        var configuration = ClientConfiguration(
            currentContext: "/a", contexts: [.init(name: "/a", server: "http://h:1", prvkeyFile: "/a/keys/owner.key", namespace: "team")])
        configuration.register(serverURL: "http://h:2", dataDirectory: "/a", ownerKeyPath: "/a/keys/owner.key")
        #expect(try configuration.current()?.namespace == "team")
        #expect(try configuration.current()?.server == "http://h:2")
    }

    @Test("the JSON form round-trips, and an earlier version's single server becomes the current context")
    func jsonForms() throws {
        var configuration = ClientConfiguration()
        configuration.register(serverURL: "http://127.0.0.1:7700", dataDirectory: "/a/.steward", ownerKeyPath: "/a/.steward/keys/owner.key")
        #expect(try ClientConfiguration(json: configuration.json) == configuration)

        let legacy = try ClientConfiguration(json: ["server": "http://127.0.0.1:7700", "prvkeyFile": "/a/.steward/keys/owner.key", "namespace": "default"])
        #expect(legacy == configuration)
        let elsewhere = try ClientConfiguration(json: ["server": "http://10.0.0.1:7700", "prvkeyFile": "/keys/me.key"])
        #expect(elsewhere.currentContext == "10.0.0.1:7700")
        #expect(try ClientConfiguration(json: [:]) == ClientConfiguration())
    }

    @Test("malformed configurations name the field; use-context names the contexts there are")
    func errors() throws {
        #expect { try ClientConfiguration(json: ["contexts": "x"]) } throws: { ($0 as? StewardError)?.field == "contexts" }
        #expect { try ClientConfiguration(json: ["contexts": [["name": "a"]]]) } throws: {
            ($0 as? StewardError)?.message == "required field 'contexts[0].server' is missing"
        }
        #expect { try ClientConfiguration(json: ["contexts": [["name": "a", "server": "s"], ["name": "a", "server": "t"]]]) } throws: {
            ($0 as? StewardError)?.field == "contexts[1].name"
        }
        let dangling = try ClientConfiguration(json: ["currentContext": "gone", "contexts": [["name": "a", "server": "s"]]])
        #expect { try dangling.current() } throws: {
            ($0 as? StewardError)?.message
                == "the current context 'gone' is not one of the contexts ('a'); choose one with: steward config use-context NAME"
        }
        var configuration = dangling
        #expect { try configuration.useContext("b") } throws: {
            ($0 as? StewardError)?.message == "there is no context 'b'; the contexts are: 'a'"
        }
        try configuration.useContext("a")
        #expect(try configuration.current()?.name == "a")
    }

    @Test("servers starting at once all keep their context: the file is changed under a lock")
    func concurrentStarts() throws {
        let directory = try TemporaryDirectory("steward-client-config")
        defer { directory.remove() }
        let path = directory.path + "/steward/config.json"
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            _ = try? ClientConfiguration.update(at: path) { configuration in
                configuration.register(
                    serverURL: "http://127.0.0.1:\(7700 + index)", dataDirectory: "/srv/\(index)",
                    ownerKeyPath: "/srv/\(index)/keys/owner.key")
            }
        }
        let stored = try #require(try ClientConfiguration.load(from: path))
        #expect(Set(stored.contexts.map(\.name)) == Set((0..<16).map { "/srv/\($0)" }))
        #expect(stored.currentContext != nil)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
