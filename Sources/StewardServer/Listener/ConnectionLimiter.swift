import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The connection limit of one listener, shared by its event loops: a ``ConnectionTable`` of
/// the open channels behind a lock, closing the channels the table chooses.
final class ConnectionLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var table: ConnectionTable<ObjectIdentifier>
    /// The open channels, to close the one chosen to make room.
    private var channels: [ObjectIdentifier: any Channel] = [:]

    init(limit: Int) {
        self.table = ConnectionTable(limit: limit)
    }

    var limit: Int { table.limit }

    /// How many connections are open.
    var openCount: Int { lock.withLock { table.count } }

    /// Admits a new channel: true when it may stay (another waiting channel may be closed for
    /// it); false when the limit is reached and every connection is busy. An admitted channel
    /// waits for its first request and leaves the table when it closes.
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let (admission, victim): (ConnectionTable<ObjectIdentifier>.Admission, (any Channel)?) = lock.withLock {
            let admission = table.open(id)
            guard admission != .refuse else { return (admission, nil) }
            channels[id] = channel
            table.awaitsRequest(id)
            if case .acceptClosing(let victim) = admission { return (admission, channels[victim]) }
            return (admission, nil)
        }
        guard admission != .refuse else { return false }
        victim?.close(promise: nil)
        channel.closeFuture.whenComplete { _ in
            let trim = self.lock.withLock {
                self.channels[id] = nil
                return self.table.closed(id)
            }
            if trim { Self.returnFreedMemory() }
        }
        return true
    }

    /// Gives the memory that closed connections freed back to the system, in the background:
    /// glibc keeps it otherwise, and a flood of slow clients would leave the server large.
    private static func returnFreedMemory() {
        guard let trim = mallocTrim else { return }
        DispatchQueue.global(qos: .utility).async { _ = trim(0) }
    }

    /// glibc's `malloc_trim`, which its Swift module does not export; nil elsewhere.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// The channel waits for a request (true) or has one in progress (false).
    func setAwaitingRequest(_ channel: any Channel, _ awaiting: Bool) {
        let id = ObjectIdentifier(channel)
        lock.withLock {
            guard channels[id] != nil else { return }
            if awaiting { table.awaitsRequest(id) } else { table.busy(id) }
        }
    }
}
