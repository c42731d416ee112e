import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import StewardCore

/// Logs one line per request at info level: method, path, status, duration and the identity
/// that signed it (`-` for none; the claimed one when the signature was refused, status 401).
///
/// `GET /api/v1/namespaces/default/services 200 1.2ms id=9f86d081884c7d65…`
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = StewardRequestContext

    private static let identityHeader = HTTPField.Name(RequestSigning.HeaderName.id)!

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.logger.logLevel <= .info else { return try await next(request, context) }
        let start = NIODeadline.now()
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, since start: NIODeadline) {
        let microseconds = (NIODeadline.now() - start).nanoseconds / 1000
        let duration = microseconds < 10_000 ? "\(Double(microseconds) / 1000)ms" : "\(microseconds / 1000)ms"
        let identity = request.headers[Self.identityHeader] ?? "-"
        context.logger.info("\(request.method) \(request.uri.path) \(status) \(duration) id=\(identity)")
    }
}
