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

    /// Field 22 of `/proc/<pid>/stat`: the start time in clock ticks after boot. With
    /// `living`, nil for a process that has ended and is not reaped yet (a zombie).
    ///
    /// On the path of every start, so it parses the bytes in a stack buffer: no strings.
    static func startTime(_ pid: Int32, living: Bool = false) -> UInt64? {
        var path: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // "/proc/<pid>/stat\0" fits in 32 bytes
        return withUnsafeMutableBytes(of: &path) { pathBytes -> UInt64? in
            var length = 0
            for byte in "/proc/".utf8 { pathBytes[length] = byte; length += 1 }
            var digits: [UInt8] = []
            var rest = UInt32(bitPattern: pid)
            repeat {
                digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            for byte in digits.reversed() { pathBytes[length] = byte; length += 1 }
            for byte in "/stat".utf8 { pathBytes[length] = byte; length += 1 }
            pathBytes[length] = 0
            let fd = open(pathBytes.baseAddress!.assumingMemoryBound(to: CChar.self), O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            return withUnsafeTemporaryAllocation(byteCount: 2048, alignment: 1) { buffer -> UInt64? in
                var count = 0
                while count < buffer.count {
                    let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n < 0, errno == EINTR { continue }
                    if n <= 0 { break }
                    count += n
                }
                guard let close = buffer[0..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
                // After ") ": field 3 (state) starts; field 22 is the 20th from there.
                var field = 2
                var value: UInt64 = 0
                var inField = false
                for byte in buffer[(close + 1)..<count] {
                    if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                        if inField, field == 22 { return value }
                        inField = false
                        continue
                    }
                    if !inField {
                        inField = true
                        field += 1
                        if field == 3, living, byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "X") { return nil }
                    }
                    if field == 22 {
                        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                        value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
                    }
                }
                return inField && field == 22 ? value : nil
            }
        }
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
