import Hummingbird
import NIOCore
import StewardCore

/// Applies the server's limits to the request: a body of more than `maxBodySize` bytes gets 413
/// `too_large`, whether it declares its length (`Content-Length`) or is sent in chunks. The
/// body is collected here, within the limit, so that later steps read it whole.
struct LimitsMiddleware: RouterMiddleware {
    typealias Context = StewardRequestContext

    let maxBodySize: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maxBodySize = maxBodySize
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodySize {
            throw StewardError(.tooLarge, "the request body has \(length) bytes; the server accepts at most \(maxBodySize)")
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBodySize)
        } catch is NIOTooManyBytesError {
            throw StewardError(.tooLarge, "the request body has more than \(maxBodySize) bytes, which the server does not accept")
        }
        return try await next(request, context)
    }
}
