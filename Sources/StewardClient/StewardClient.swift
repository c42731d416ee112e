import AsyncHTTPClient
import Foundation
import JSONSchema
import NIOCore
import NIOHTTP1
import StewardCore

/// A typed client of the Steward API that signs every request with an ``Identity``.
///
/// One client holds one `HTTPClient` (by default the process-wide `HTTPClient.shared`, which
/// pools connections), so create it once and use it from any task:
///
/// ```swift
/// let client = StewardClient(configuration: .init(
///     serverURL: "http://127.0.0.1:7700", identity: try Identity(privateKeyHex: key)))
/// let services = try await client.services(kind: "ExecutorDeployment")
/// ```
///
/// Every method that takes a `namespace` uses ``Configuration/namespace`` when it is nil.
/// Failures are ``StewardError``s: the server's error body (code, message, field) when it
/// answered, code `unavailable` when it could not be reached.
public final class StewardClient: Sendable {
    /// Where the server is, who the client is, and how long requests may take.
    public struct Configuration: Sendable {
        /// The server's base URL, such as `http://127.0.0.1:7700` (no trailing path).
        public var serverURL: String
        /// The identity that signs requests.
        public var identity: Identity
        /// The namespace used when a method is not given one.
        public var namespace: String
        /// The time a request may take until the response head arrives.
        public var requestTimeout: Duration
        /// The largest response body accepted (watch streams are not limited).
        public var maxResponseSize: Int

        public init(
            serverURL: String,
            identity: Identity,
            namespace: String = "default",
            requestTimeout: Duration = .seconds(30),
            maxResponseSize: Int = 256 * 1024 * 1024
        ) {
            var url = serverURL
            while url.hasSuffix("/") { url.removeLast() }
            self.serverURL = url
            self.identity = identity
            self.namespace = namespace
            self.requestTimeout = requestTimeout
            self.maxResponseSize = maxResponseSize
        }
    }

    /// The configuration the client was created with.
    public let configuration: Configuration
    let httpClient: HTTPClient
    private let ownsHTTPClient: Bool

    /// A client on `HTTPClient.shared`.
    public convenience init(configuration: Configuration) {
        self.init(configuration: configuration, httpClient: .shared, ownsHTTPClient: false)
    }

    /// A process-wide `HTTPClient` for command-line use: like `HTTPClient.shared`, but a
    /// connection that cannot be established fails the request at once instead of being
    /// retried until the request's deadline, so an unreachable server is reported promptly.
    public static let interactiveHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A client on an `HTTPClient` of the caller's; the caller shuts it down.
    public convenience init(configuration: Configuration, httpClient: HTTPClient) {
        self.init(configuration: configuration, httpClient: httpClient, ownsHTTPClient: false)
    }

    /// A client with its own `HTTPClient` pooling up to `maxConnections` connections to the
    /// server (for load generators); call ``shutdown()`` when done.
    public convenience init(configuration: Configuration, maxConnections: Int) {
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnections)
        httpConfiguration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        self.init(configuration: configuration, httpClient: client, ownsHTTPClient: true)
    }

    private init(configuration: Configuration, httpClient: HTTPClient, ownsHTTPClient: Bool) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.ownsHTTPClient = ownsHTTPClient
    }

    /// Closes the client's own connection pool; does nothing for a shared or borrowed one.
    public func shutdown() async throws {
        if ownsHTTPClient { try await httpClient.shutdown() }
    }

    /// The identity id the client signs with.
    public var identityID: String { configuration.identity.id }

    func namespaceOrDefault(_ namespace: String?) -> String {
        namespace ?? configuration.namespace
    }
}
