import Foundation
import HTTPTypes
import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

@Suite("API: authentication and limits")
struct AuthenticationTests {
    @Test func healthAndOpenAPIAreUnsigned() async throws {
        try await TestServer().run { api, _ in
            let health = try await api.unsigned(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.text == "ok")
            let document = try await api.unsigned(.get, "/openapi.yaml")
            #expect(document.status == .ok)
            #expect(document.text.hasPrefix("openapi: 3.1.0"))
        }
    }

    @Test func unsignedRequestGets401() async throws {
        try await TestServer().run { api, _ in
            let response = try await api.unsigned(.get, "/api/v1/whoami")
            #expect(response.status == .unauthorized)
            #expect(response.error?.code == .unauthenticated)
            #expect(response.error?.message.contains("not signed") == true)
        }
    }

    @Test func signedRequestIdentifiesTheCaller() async throws {
        try await TestServer().run { api, components in
            let response = try await api.request(.get, "/api/v1/whoami")
            #expect(response.status == .ok)
            #expect(response.json["id"] == .string(components.owner.id))
            #expect(response.json["namespaces"] == [["name": "default", "role": "owner"]])
        }
    }

    @Test func badSignatureGets401() async throws {
        try await TestServer().run { api, components in
            var headers = HTTPFields()
            let intruder = Identity.generate()
            for (name, value) in RequestSigning.headers(
                for: intruder, method: "GET", pathAndQuery: "/api/v1/whoami", body: [], now: Date())
            {
                headers[HTTPField.Name(name)!] = value
            }
            // Claim to be the owner while signing with another key.
            headers[HTTPField.Name("Steward-Id")!] = components.owner.id
            let response = try await api.unsigned(.get, "/api/v1/whoami", headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.error?.message.contains("signature does not verify") == true)
        }
    }

    @Test func tamperedBodyGets401() async throws {
        try await TestServer().run { api, _ in
            var headers = HTTPFields()
            let body = Array(#"{"id":"x"}"#.utf8)
            for (name, value) in RequestSigning.headers(
                for: api.identity, method: "POST", pathAndQuery: "/api/v1/namespaces/default/members", body: body, now: Date())
            {
                headers[HTTPField.Name(name)!] = value
            }
            let response = try await api.unsigned(
                .post, "/api/v1/namespaces/default/members", headers: headers, body: Array(#"{"id":"y"}"#.utf8))
            #expect(response.status == .unauthorized)
            #expect(response.error?.message.contains("SHA-256") == true)
        }
    }

    @Test func expiredRequestGets401() async throws {
        try await TestServer().run { api, _ in
            let old = try await api.request(.get, "/api/v1/whoami", now: Date().addingTimeInterval(-301))
            #expect(old.status == .unauthorized)
            #expect(old.error?.message.contains("expired") == true)
            let future = try await api.request(.get, "/api/v1/whoami", now: Date().addingTimeInterval(400))
            #expect(future.status == .unauthorized)
        }
    }

    @Test func replayedRequestGets401() async throws {
        try await TestServer().run { api, _ in
            var headers = HTTPFields()
            for (name, value) in RequestSigning.headers(
                for: api.identity, method: "GET", pathAndQuery: "/api/v1/whoami", body: [], now: Date())
            {
                headers[HTTPField.Name(name)!] = value
            }
            let first = try await api.unsigned(.get, "/api/v1/whoami", headers: headers)
            #expect(first.status == .ok)
            let replay = try await api.unsigned(.get, "/api/v1/whoami", headers: headers)
            #expect(replay.status == .unauthorized)
            #expect(replay.error?.message.contains("replayed") == true)
        }
    }

    @Test func oversizedBodyGets413() async throws {
        try await TestServer { $0.maxBodySize = 4096 }.run { api, _ in
            var service = Fixtures.service()
            service["spec"]?["blob"] = .string(String(repeating: "x", count: 5000))
            let response = try await api.createService(service)
            #expect(response.status == .contentTooLarge)
            #expect(response.error?.code == .tooLarge)
            #expect(response.error?.message.contains("4096") == true)
        }
    }

    @Test func defaultLimitIsOneMebibyte() async throws {
        try await TestServer().run(.live) { api, _ in
            _ = try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Blob", name: "blobs.example.io"))
            var fits: JSON = ["kind": "Blob", "metadata": ["name": "fits"], "spec": ["data": .string(String(repeating: "x", count: 1_000_000))]]
            #expect(try await api.createService(fits).status == .created)
            fits["metadata"]?["name"] = "too-big"
            fits["spec"]?["data"] = .string(String(repeating: "x", count: 1_048_577))
            #expect(try await api.createService(fits).status == .contentTooLarge)
        }
    }

    @Test func deeplyNestedJSONGets400() async throws {
        try await TestServer().run { api, _ in
            let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
            let body = Array((#"{"kind":"X","metadata":{"name":"a"},"spec":{"x":"# + deep + "}}").utf8)
            let response = try await api.request(.post, "/api/v1/namespaces/default/services", rawBody: body)
            #expect(response.status == .badRequest)
            #expect(response.error?.message.contains("deeper than 512") == true)
            let malformed = try await api.request(.post, "/api/v1/namespaces/default/services", rawBody: Array("{".utf8))
            #expect(malformed.status == .badRequest)
            #expect(malformed.error?.message.contains("not valid JSON") == true)
        }
    }

    @Test func unknownRouteUsesTheErrorShape() async throws {
        try await TestServer().run { api, _ in
            let response = try await api.request(.get, "/api/v1/nothing")
            #expect(response.status == .notFound)
            #expect(response.error?.code == .notFound)
        }
    }
}
