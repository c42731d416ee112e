import Foundation

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Files only their owner may read: keys and the client configuration.
public enum PrivateFile {
    /// Writes `bytes` to `path` with `mode`, atomically: a temporary file beside it, fsync,
    /// rename. A reader sees the old content or the new, never a part.
    /// - Throws: ``StewardError`` `internal` naming the path and the system's reason.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(StewardError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else {
            throw .internal("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        var ok = fchmod(fd, mode) == 0
        ok = ok && bytes.withUnsafeBytes { raw in systemWrite(fd, raw.baseAddress, raw.count) == raw.count }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .internal("cannot write \(path): \(reason)")
        }
    }

    /// Creates `directory` (and its parents) with mode 0700 when it is missing.
    public static func createDirectory(_ directory: String) throws(StewardError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .internal("cannot create the directory \(directory): \(error.localizedDescription)")
        }
    }
}
