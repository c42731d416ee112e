import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSONSchema
import NIOCore
import StewardCore
import StewardServer
import StewardStore

/// A Steward application on a temporary data directory, for in-process (`.router`) and
/// real-socket (`.live`) tests.
struct TestServer {
    let directory: TemporaryDirectory
    var configuration: ServerConfiguration

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory("steward-api")
        configuration = ServerConfiguration()
        configuration.home = directory.path + "/home"
        configuration.port = 0
        configuration.writeClientConfig = false
        configuration.printStartupLines = false
        configuration.logLevel = .error
        // Counts of definitions, members and events are about the test's own objects; tests of
        // the built-in kinds turn it back on.
        configuration.installBuiltInKinds = false
        // The live test client opens its connection before the test's first request: a loaded
        // machine must not make it miss the header timeout. Tests of the timeouts set their own.
        configuration.listener.headerTimeout = .seconds(300)
        configuration.listener.idleTimeout = .seconds(300)
        configure(&configuration)
    }

    /// Builds the application, runs `body` against it, and removes the directory.
    func run<T: Sendable>(
        _ setup: TestingSetup = .router,
        _ body: @Sendable (API, StewardServerComponents) async throws -> T
    ) async throws -> T {
        defer { directory.remove() }
        let (application, components) = try await buildApplication(configuration)
        defer { components.store.close() }
        return try await application.test(setup) { client in
            try await body(API(client: client, identity: components.owner), components)
        }
    }
}

/// Signs requests to the application under test.
struct API: Sendable {
    let client: any TestClientProtocol
    /// The identity that signs, unless a request names another.
    let identity: Identity

    /// The same client signing as `identity`.
    func signing(as identity: Identity) -> API {
        API(client: client, identity: identity)
    }

    /// Sends a signed request. `json` is serialized as the body; `rawBody` is sent as is.
    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ path: String, json: JSON? = nil, rawBody: [UInt8]? = nil,
        now: Date = Date(), extraHeaders: [(String, String)] = []
    ) async throws -> TestResponse {
        let body = rawBody ?? json?.serializedBytes() ?? []
        var headers = HTTPFields()
        for (name, value) in RequestSigning.headers(
            for: identity, method: method.rawValue, pathAndQuery: path, body: body, now: now)
        {
            headers[HTTPField.Name(name)!] = value
        }
        if !body.isEmpty { headers[.contentType] = "application/json" }
        for (name, value) in extraHeaders { headers[HTTPField.Name(name)!] = value }
        return try await client.executeRequest(
            uri: path, method: method, headers: headers, body: body.isEmpty ? nil : ByteBuffer(bytes: body))
    }

    /// Sends a request with exactly `headers` (no signing).
    func unsigned(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: [UInt8]? = nil) async throws -> TestResponse {
        try await client.executeRequest(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
    }

    // Shortcuts for the namespace `default` unless given.

    func createDefinition(_ definition: JSON, namespace: String = "default") async throws -> TestResponse {
        try await request(.post, "/api/v1/namespaces/\(namespace)/definitions", json: definition)
    }

    func createService(_ service: JSON, namespace: String = "default") async throws -> TestResponse {
        try await request(.post, "/api/v1/namespaces/\(namespace)/services", json: service)
    }

    func getService(_ name: String, namespace: String = "default") async throws -> TestResponse {
        try await request(.get, "/api/v1/namespaces/\(namespace)/services/\(name)")
    }

    func updateService(_ service: JSON, name: String, namespace: String = "default") async throws -> TestResponse {
        try await request(.put, "/api/v1/namespaces/\(namespace)/services/\(name)", json: service)
    }
}

extension TestResponse {
    /// The body parsed as JSON (`null` when it is not JSON).
    var json: JSON {
        (try? JSON(parsing: Array(body.readableBytesView))) ?? .null
    }

    var text: String { String(buffer: body) }

    /// The error of an error body.
    var error: StewardError? { StewardError(json: json) }
}
