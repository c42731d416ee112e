import Foundation
import StewardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file calls the log files need, with errors that name the path. Every call is
/// blocking: callers run them off Swift's cooperative pool.
enum LogFileIO {
    /// What `stat` tells of a file.
    struct Status: Equatable {
        var size: Int64
        var inode: UInt64
        var modifiedMilliseconds: Int64
    }

    /// The file's size, inode and modification time; nil when it does not exist.
    static func status(_ path: String) -> Status? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        return Status(size: Int64(info.st_size), inode: UInt64(info.st_ino), modifiedMilliseconds: modified)
    }

    /// The error for a failed call on `path` (from `errno`).
    static func failure(_ action: String, _ path: String, errno code: Int32 = errno) -> StewardError {
        StewardError(.internal, "cannot \(action) \(path): \(String(cString: strerror(code)))")
    }

    /// Up to `count` bytes of `path` from `offset` (fewer at its end; empty when it is missing).
    static func read(_ path: String, from offset: Int64, count: Int) throws(StewardError) -> [UInt8] {
        guard count > 0 else { return [] }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return [] }
            throw failure("open", path)
        }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read", path)
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Appends `bytes` to `path` in one write (created 0640 when missing).
    static func append(_ bytes: [UInt8], to path: String) throws(StewardError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
    }

    /// Writes `bytes` to `path`, replacing it (written beside it, then renamed over it).
    static func replace(_ path: String, with bytes: [UInt8]) throws(StewardError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw failure("create", temporary) }
        do {
            try writeAll(fd, bytes, path: temporary)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        try move(temporary, to: path)
    }

    /// Copies all of the open file `source` (from offset 0 to its end as it is read) to a new
    /// file `destination`, replacing it; returns the number of bytes copied.
    static func copy(fd source: Int32, sourcePath: String, to destination: String) throws(StewardError) -> Int64 {
        let out = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard out >= 0 else { throw failure("create", destination) }
        defer { close(out) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(source, $0.baseAddress!, $0.count, off_t(offset)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read", sourcePath)
            }
            if n == 0 { return offset }
            try writeAll(out, Array(buffer[0..<n]), path: destination)
            offset += Int64(n)
        }
    }

    /// Renames `path` to `destination`; a missing `path` is not an error.
    static func move(_ path: String, to destination: String) throws(StewardError) {
        if rename(path, destination) != 0, errno != ENOENT {
            throw failure("rename \(path) to", destination)
        }
    }

    /// Removes `path`; a missing one is not an error.
    static func remove(_ path: String) throws(StewardError) {
        if unlink(path) != 0, errno != ENOENT { throw failure("remove", path) }
    }

    /// Cuts `path` to zero bytes; a missing one is not an error.
    static func truncateToZero(_ path: String) throws(StewardError) {
        if truncate(path, 0) != 0, errno != ENOENT { throw failure("truncate", path) }
    }

    /// The names in `directory`; empty when it does not exist.
    static func names(in directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StewardError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            written += n
        }
    }
}
