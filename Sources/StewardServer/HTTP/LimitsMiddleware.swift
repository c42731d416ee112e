import Hummingbird

/// Applies the server's limits to the request context (the body size limit).
struct LimitsMiddleware: RouterMiddleware {
    typealias Context = StewardRequestContext

    let maxBodySize: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maxBodySize = maxBodySize
        return try await next(request, context)
    }
}
