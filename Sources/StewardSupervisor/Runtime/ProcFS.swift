import Glibc

/// Small readers of `/proc` and of the cgroup file system: whole small files read with plain
/// `open`/`read` (these files never block), no Foundation on the hot path.
enum ProcFS {
    /// The contents of a small pseudo-file, or nil when it cannot be opened.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `value` to a pseudo-file (a cgroup knob). Returns 0, or the errno of the failure.
    @discardableResult
    static func write(_ path: String, _ value: String) -> Int32 {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var bytes = Array(value.utf8)
        let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return n == bytes.count ? 0 : (n < 0 ? errno : EIO)
    }

    /// The fields of `/proc/<pid>/stat` from field 3 (state) on: the command name (field 2) is
    /// in parentheses and may hold spaces and parentheses, so the split starts after the last `)`.
    static func statFields(_ pid: Int32) -> [Substring]? {
        guard let stat = read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
    }

    /// Field 22 of `/proc/<pid>/stat`: the start time in clock ticks after boot.
    static func startTime(_ pid: Int32) -> UInt64? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// The resident set size of one process in bytes (`/proc/<pid>/statm`, second field: the
    /// same pages as `VmRSS`), nil when it is gone.
    static func residentBytes(_ pid: Int32) -> Int64? {
        guard let statm = read("/proc/\(pid)/statm") else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return nil }
        return pages * pageSize
    }

    /// The direct children of `pid`: the `children` file of each of its threads.
    static func children(_ pid: Int32) -> [Int32] {
        guard let dir = opendir("/proc/\(pid)/task") else { return [] }
        defer { closedir(dir) }
        var result: [Int32] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let tid = Int32(name) else { continue }
            if let list = read("/proc/\(pid)/task/\(tid)/children") {
                result.append(contentsOf: list.split(separator: " ").compactMap { Int32($0.trimmingSpaces) })
            }
        }
        return result
    }

    /// The resident bytes of `pid` and all its descendants; nil when `pid` itself is gone.
    static func treeResidentBytes(_ pid: Int32) -> Int64? {
        guard let own = residentBytes(pid) else { return nil }
        var total = own
        var pending = children(pid)
        var seen: Set<Int32> = [pid]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            if let bytes = residentBytes(next) {
                total += bytes
                pending.append(contentsOf: children(next))
            }
        }
        return total
    }

    static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return s
    }
}
