import Foundation
import StewardCore

/// Fans committed events out to live watchers.
///
/// The store publishes each group's events after COMMIT, in revision order. A watcher that
/// falls too far behind (its buffer is full) has its stream finished, so that it reconnects
/// with `from=<last revision seen>` and replays from the event log instead of silently missing
/// events.
public final class WatchHub: @unchecked Sendable {
    private struct Subscriber {
        let namespace: String
        let continuation: AsyncStream<WatchEvent>.Continuation
    }

    private let lock = NSLock()
    private var subscribers: [UInt64: Subscriber] = [:]
    private var nextID: UInt64 = 0
    private let bufferSize: Int

    public init(bufferSize: Int = 4096) {
        self.bufferSize = bufferSize
    }

    /// A stream of the events of `namespace` committed from now on.
    public func subscribe(namespace: String) -> AsyncStream<WatchEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: WatchEvent.self, bufferingPolicy: .bufferingOldest(bufferSize))
        lock.lock()
        let id = nextID
        nextID += 1
        subscribers[id] = Subscriber(namespace: namespace, continuation: continuation)
        lock.unlock()
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return stream
    }

    private func remove(_ id: UInt64) {
        lock.lock()
        subscribers[id] = nil
        lock.unlock()
    }

    /// Delivers committed events.
    func publish(_ events: [WatchEvent]) {
        guard !events.isEmpty else { return }
        lock.lock()
        let targets = subscribers
        lock.unlock()
        guard !targets.isEmpty else { return }
        for (_, subscriber) in targets {
            for event in events where event.namespace == subscriber.namespace {
                if case .dropped = subscriber.continuation.yield(event) {
                    subscriber.continuation.finish()
                    break
                }
            }
        }
    }

    /// Ends every stream (at shutdown).
    func finishAll() {
        lock.lock()
        let targets = subscribers
        subscribers.removeAll()
        lock.unlock()
        for (_, subscriber) in targets { subscriber.continuation.finish() }
    }
}
