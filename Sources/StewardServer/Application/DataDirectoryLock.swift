import Foundation
import StewardCore

#if canImport(Glibc)
import Glibc
#endif

/// The lock that makes a data directory one server's: an exclusive `flock` on
/// `<home>/steward.lock`, which holds the pid of the server that has it.
///
/// The kernel drops the lock when its file is closed, which happens when the holder exits in any
/// way (`kill -9` included), so a lock is never left behind. A second server on the same
/// directory is refused with the directory and the holder's pid.
final class DataDirectoryLock: @unchecked Sendable {
    /// The lock file's name inside the data directory.
    static let fileName = "steward.lock"

    private let lock = NSLock()
    private var descriptor: Int32?
    /// The lock file.
    let path: String

    /// Takes the lock of `home` (an existing directory) or throws naming the holder.
    init(home: String) throws {
        path = home + "/" + Self.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StewardError.internal("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let holder = Self.readPID(fd)
            close(fd)
            guard reason == EWOULDBLOCK else {
                throw StewardError.internal("cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            throw StewardError(
                .unavailable,
                "the data directory \(home) is in use by another steward server (pid \(holder.map(String.init) ?? "unknown")); stop that server, or start this one with another --home"
            )
        }
        let text = Array("\(getpid())\n".utf8)
        let written = ftruncate(fd, 0) == 0 && text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) == $0.count }
        if !written {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StewardError.internal("cannot write the pid into the lock file \(path): \(reason)")
        }
        descriptor = fd
    }

    /// Gives the lock up (the file stays; its pid is stale then, which the next holder
    /// overwrites). Idempotent.
    func release() {
        lock.lock()
        defer { lock.unlock() }
        guard let fd = descriptor else { return }
        descriptor = nil
        close(fd)
    }

    deinit { release() }

    /// The pid written in the lock file, if it holds one.
    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
