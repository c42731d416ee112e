import Foundation
import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

/// A watch `from` a revision that does not exist yet is refused naming the current revision,
/// rather than a stream that would skip the changes up to it.
@Suite("Watch from a revision above the current one")
struct WatchFromTests {
    @Test func aFromAboveTheCurrentRevisionIsRefusedNamingIt() async throws {
        try await TestServer().run { api, components in
            #expect(try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io")).status == .created)
            #expect(try await api.createService(["kind": "Web", "metadata": ["name": "a"], "spec": [:]]).status == .created)
            let current = try await components.store.currentRevision()
            for from in [current + 1, current + 1000, Int64.max] {
                let response = try await api.request(.get, "/api/v1/namespaces/default/watch?from=\(from)")
                #expect(response.status == .badRequest)
                #expect(response.error?.field == "from")
                #expect(
                    response.error?.message
                        == "'from' is \(from), above the current revision \(current): watch from a revision a list or an event gave, or without 'from' to follow changes from now")
            }
            let notARevision = try await api.request(.get, "/api/v1/namespaces/default/watch?from=99999999999999999999")
            #expect(notARevision.status == .badRequest)
            #expect(notARevision.error?.field == "from")
        }
    }

    @Test func aFromAtTheCurrentRevisionStreams() async throws {
        try await TestServer().run(.live) { api, components in
            let current = try await components.store.currentRevision()
            let port = try #require(api.client.port)
            let connection = try await RawConnection.connect(port: port)
            try await connection.send(
                ListenerLimitsTests.signedHead("GET", "/api/v1/namespaces/default/watch?from=\(current)", as: components.owner))
            #expect(await connection.waitForText("HTTP/1.1 200 OK", timeout: .seconds(30)))
            #expect(await connection.waitForText(": watching namespace default from revision \(current)", timeout: .seconds(30)))
            await connection.close()
        }
    }
}
