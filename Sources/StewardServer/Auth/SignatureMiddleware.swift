import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import StewardCore

/// Authenticates `/api/v1` requests: collects the body (within the size limit), verifies the
/// signature headers (``RequestSigning``), refuses replayed nonces (``NonceCache``) and requests
/// from before the server's restart (``ReplayGuard``), and records the caller's identity in the
/// context. Failures are 401 with a message saying what is wrong.
struct SignatureMiddleware: RouterMiddleware {
    typealias Context = StewardRequestContext

    /// The signing headers' field names, parsed once.
    private static let fieldNames: [String: HTTPField.Name] = {
        let names = RequestSigning.HeaderName.self
        return Dictionary(
            uniqueKeysWithValues: [names.id, names.timestamp, names.nonce, names.contentSHA256, names.signature].map { name in
                guard let field = HTTPField.Name(name) else { preconditionFailure("'\(name)' is a valid header name") }
                return (name, field)
            })
    }()

    let nonces: NonceCache
    let replays: ReplayGuard
    let maxClockSkew: Int64
    let clock: @Sendable () -> Date
    let verifier: Ed25519Verifier

    /// - Parameter verifier: checks signatures; a server passes one that builds per-key tables
    ///   for the members of its namespaces only.
    init(
        nonces: NonceCache, replays: ReplayGuard, maxClockSkew: Int64, clock: @escaping @Sendable () -> Date,
        verifier: Ed25519Verifier = .shared
    ) {
        self.nonces = nonces
        self.replays = replays
        self.maxClockSkew = maxClockSkew
        self.clock = clock
        self.verifier = verifier
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        var context = context
        if let length = request.headers[.contentLength].flatMap(Int.init), length > context.maxBodySize {
            throw StewardError(
                .tooLarge, "the request body has \(length) bytes; the server accepts at most \(context.maxBodySize)")
        }
        let body = try await request.collectBody(upTo: context.maxBodySize)
        let bytes = body.readableBytesView
        let now = clock()
        let verified = try RequestSigning.verify(
            method: request.method.rawValue,
            pathAndQuery: request.head.path ?? request.uri.description,
            header: { name in Self.fieldNames[name].flatMap { request.headers[$0] } },
            body: Array(bytes),
            now: now,
            maxClockSkew: maxClockSkew,
            verifier: verifier)
        let seconds = Int64(now.timeIntervalSince1970)
        guard nonces.insert(identity: verified.id, nonce: verified.nonce, now: seconds) else {
            throw StewardError.unauthenticated(
                "the request was replayed: nonce \(verified.nonce) was already used by this identity")
        }
        try await replays.admit(identity: verified.id, timestamp: verified.timestamp, now: seconds)
        context.identity = verified.id
        context.body = body
        return try await next(request, context)
    }
}
