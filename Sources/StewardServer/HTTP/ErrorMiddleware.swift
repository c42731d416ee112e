import Hummingbird
import Logging
import StewardCore

/// Turns every error into the API's error shape, `{"error": {"code", "message", "field"}}`,
/// with the status of its code. Unexpected errors become 500 and are logged with the request.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = StewardRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StewardError {
            if error.code == .internal {
                context.logger.error("\(request.method) \(request.uri.path): \(error.message)")
            }
            return APIResponse.error(error)
        } catch let error as HTTPError {
            let message: String
            switch error.status.code {
            case 413:
                message = "the request body is larger than the server accepts (\(context.maxBodySize) bytes)"
            case 404:
                message = error.body ?? "no such endpoint: \(request.method) \(request.uri.path)"
            case 405:
                message = "method \(request.method) is not allowed on \(request.uri.path)"
            default:
                message = error.body ?? error.status.reasonPhrase
            }
            return APIResponse.error(StewardError(APIResponse.code(for: error.status), message))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return APIResponse.error(.internal("the server failed to handle the request: \(error)"))
        }
    }
}
