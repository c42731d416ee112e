import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The unix datagram socket that the beacons (`bench/beacon.c`) report to: each instance sends
/// `"<pid> <CLOCK_REALTIME ns> <id>"` once when it starts. A dedicated thread receives them, so
/// the benchmark learns when an instance runs without asking its supervisor.
final class BeaconListener: @unchecked Sendable {
    /// One started instance, as its beacon told.
    struct Beacon: Sendable {
        /// The position among all beacons received (0, 1, 2, ...).
        var index: Int
        var pid: Int32
        /// When the instance's `main` began (CLOCK_REALTIME, ns), read by the instance itself.
        var startedAt: UInt64
        var id: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var received: [Beacon] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    /// Binds the socket at `path` (removing a stale file) and starts receiving.
    init(path: String) throws {
        self.path = path
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket(AF_UNIX, SOCK_DGRAM): \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            close(fd)
            throw Failure(description: "the beacon socket's path is longer than \(capacity - 1) bytes: \(path) (set TMPDIR to a shorter directory)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path.utf8)
            buffer[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "bind \(path): \(message)")
        }
        // A burst of 500 starts: a large queue (senders block when it is full, none is lost),
        // and a receive timeout so that the thread sees `stop()`.
        var size: Int32 = 4 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
        let thread = Thread { [self] in
            receiveLoop()
            finished.signal()
        }
        thread.name = "beacon-listener"
        thread.start()
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            if lock.withLock({ stopping }) { break }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { continue }
            let fields = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: " ", maxSplits: 2)
            guard fields.count >= 2, let pid = Int32(fields[0]), let startedAt = UInt64(fields[1]) else { continue }
            let id = fields.count > 2 ? String(fields[2]) : "-"
            lock.withLock {
                received.append(Beacon(index: received.count, pid: pid, startedAt: startedAt, id: id))
            }
        }
    }

    /// The number of beacons received so far.
    var count: Int { lock.withLock { received.count } }

    /// The beacons received from position `index` on.
    func beacons(from index: Int) -> [Beacon] {
        lock.withLock { index < received.count ? Array(received[index...]) : [] }
    }

    /// Waits until `count` beacons from position `index` on have arrived and returns them.
    func wait(for count: Int, from index: Int, timeout: Double, what: @autoclosure () -> String) async throws -> [Beacon] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let got = beacons(from: index)
            if got.count >= count { return Array(got.prefix(count)) }
            guard Date() < deadline else {
                throw Failure(description: "\(what()): \(got.count) of \(count) instances reported running within \(Int(timeout)) s")
            }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
    }

    /// Stops the thread and removes the socket.
    func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopping = true }
            return stopping
        }
        guard !already else { return }
        finished.wait()
        close(fd)
        unlink(path)
    }

    /// CLOCK_REALTIME in nanoseconds, the clock the beacons report.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
