import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Hummingbird's HTTP/1 child channel with the listener's limits: a connection over the limit is
/// answered 503 and closed (or makes room by closing a waiting one, see ``ConnectionLimiter``),
/// and ``ConnectionTimeoutHandler`` closes connections that are too slow to send a request or
/// idle too long between requests.
struct LimitedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let limiter: ConnectionLimiter

    /// The answer to a connection over the limit.
    static let refusal: ByteBuffer = {
        let body = #"{"error":{"code":"unavailable","message":"the server has as many connections open as it accepts; try again later"}}"#
        return ByteBuffer(
            string: "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n"
                + "content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n" + body)
    }()

    /// The HTTP/1 server builder of the application: `configuration`'s timeouts and limit.
    static func builder(_ configuration: ListenerConfiguration, limiter: ConnectionLimiter) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            LimitedHTTP1Channel(
                base: HTTP1Channel(
                    responder: responder,
                    configuration: .init(
                        additionalChannelHandlers: [ConnectionTimeoutHandler(configuration: configuration, limiter: limiter)])),
                limiter: limiter)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = limiter.admit(channel)
        if !admitted {
            logger.warning("refused a connection: \(limiter.limit) connections are open, all busy with requests")
        }
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            if admitted {
                try channel.pipeline.syncOperations.addHandler(InboundBytesObserver(), position: .first)
            } else {
                try channel.pipeline.syncOperations.addHandler(ConnectionRefusalHandler(answer: Self.refusal), position: .first)
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Answers a connection over the limit with `answer` (a whole HTTP response) once it is active,
/// then closes it; what the client sends is dropped.
final class ConnectionRefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let answer: ByteBuffer

    init(answer: ByteBuffer) {
        self.answer = answer
    }

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(answer)).whenComplete { _ in loopBound.value.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
