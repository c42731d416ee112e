import NIOCore
import NIOHTTPTypes

/// Closes a connection when its ``ConnectionTimeouts`` deadline passes, and tells the
/// ``ConnectionLimiter`` whether the connection has a request in progress.
///
/// It sits after the HTTP decoder (it sees request heads and ends, and response ends);
/// ``InboundBytesObserver`` at the front of the pipeline tells it when raw bytes arrive, so
/// that a head still being sent counts from its first byte.
final class ConnectionTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The user event ``InboundBytesObserver`` sends for each read from the socket.
    struct BytesArrived: Sendable {}

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let limiter: ConnectionLimiter?
    private var timeouts: ConnectionTimeouts?
    private var wasAwaitingRequest = true
    private var scheduled: Scheduled<Void>?
    private var scheduledAt: NIODeadline?

    init(configuration: ListenerConfiguration, limiter: ConnectionLimiter?) {
        self.headerTimeout = TimeAmount(configuration.headerTimeout)
        self.idleTimeout = TimeAmount(configuration.idleTimeout)
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timeouts = ConnectionTimeouts(headerTimeout: headerTimeout, idleTimeout: idleTimeout, openedAt: .now())
        update(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
        timeouts = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: timeouts?.headRead(at: .now())
        case .body: break
        case .end: timeouts?.endRead()
        }
        update(context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            timeouts?.responseWritten(at: .now())
            update(context)
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is BytesArrived {
            timeouts?.bytesArrived(at: .now())
            update(context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Reports a change of the request state to the limiter and makes sure a check is
    /// scheduled no later than the deadline. A later deadline reuses the check already
    /// scheduled, which then schedules the next one.
    private func update(_ context: ChannelHandlerContext) {
        guard let timeouts else { return }
        let awaiting = timeouts.isAwaitingRequest
        if awaiting != wasAwaitingRequest {
            wasAwaitingRequest = awaiting
            limiter?.setAwaitingRequest(context.channel, awaiting)
        }
        guard let deadline = timeouts.deadline else { return }
        if let scheduledAt, scheduledAt <= deadline { return }
        scheduled?.cancel()
        schedule(context, at: deadline)
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        scheduledAt = deadline
        let loop = context.eventLoop.assumeIsolatedUnsafeUnchecked()
        scheduled = loop.scheduleTask(deadline: deadline) { [self] in
            scheduled = nil
            scheduledAt = nil
            guard let current = timeouts?.deadline else { return }
            if current <= .now() {
                context.close(promise: nil)
            } else {
                schedule(context, at: current)
            }
        }
    }
}

/// Sits at the front of the pipeline and sends ``ConnectionTimeoutHandler/BytesArrived`` down it
/// before each read from the socket.
final class InboundBytesObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(ConnectionTimeoutHandler.BytesArrived())
        context.fireChannelRead(data)
    }
}
