import Foundation
import NIOCore
import NIOPosix

/// A plain TCP connection to a test server, for sending exactly the bytes a test wants (a
/// partial request head, a chunked body) and watching what comes back and when it closes.
final class RawConnection: @unchecked Sendable {
    private let channel: any Channel
    private let received: Received

    private final class Received: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let lock = NSLock()
        var bytes: [UInt8] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            lock.withLock { bytes.append(contentsOf: buffer.readableBytesView) }
        }
    }

    private init(channel: any Channel, received: Received) {
        self.channel = channel
        self.received = received
    }

    /// Connects to `127.0.0.1:port`.
    static func connect(port: Int) async throws -> RawConnection {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(received) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// What the server sent so far, as text.
    var text: String { received.lock.withLock { String(decoding: received.bytes, as: UTF8.self) } }

    var isOpen: Bool { channel.isActive }

    /// Waits up to `timeout` for the server to close the connection; true when it did.
    func waitForClose(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while channel.isActive {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Waits up to `timeout` until the server has sent text containing `fragment`.
    func waitForText(_ fragment: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !text.contains(fragment) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    func close() async {
        try? await channel.close()
    }
}
