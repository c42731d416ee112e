import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `/proc` tells about processes: parents, resident memory, command lines. Used by the
/// supervision benchmark to find a supervisor's helper processes, to weigh them, and to end the
/// instances it started.
enum ProcessTable {
    /// The pids whose parent is `parent`.
    static func children(of parent: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { parentPid(of: $0) == parent }.sorted()
    }

    /// Field 4 of `/proc/<pid>/stat`.
    static func parentPid(of pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// `VmRSS` of `/proc/<pid>/status` in bytes, or nil when the process is gone.
    static func residentBytes(of pid: Int32) -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kilobytes = Int64(parts[1]) { return kilobytes * 1024 }
        }
        return nil
    }

    /// `Pss` of `/proc/<pid>/smaps_rollup` in bytes: the resident memory with each shared page
    /// divided among the processes that map it, so a sum over processes counts it once.
    static func proportionalBytes(of pid: Int32) -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kilobytes = Int64(parts[1]) { return kilobytes * 1024 }
        }
        return nil
    }

    /// The first word of the process's command line (its argv[0]).
    static func executable(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Whether the process exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return false }
        let state = text[text.index(after: close)...].split(separator: " ").first
        return state != nil && state != "Z" && state != "X"
    }

    /// Whether the process's argv[0] is `executable`, or a path that ends in `/executable`.
    static func runs(_ pid: Int32, _ executable: String) -> Bool {
        guard let running = Self.executable(of: pid) else { return false }
        return running == executable || running.hasSuffix("/" + executable) || executable.hasSuffix("/" + running)
    }

    /// SIGKILLs those of `pids` that still run `executable` (so a reused pid is left alone) and
    /// waits up to 5 s for them to go. Returns how many were killed.
    @discardableResult
    static func killRemaining(_ pids: [Int32], runningExecutable executable: String) -> Int {
        let remaining = pids.filter { isAlive($0) && runs($0, executable) }
        for pid in remaining { kill(pid, SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        while remaining.contains(where: isAlive) && Date() < deadline { usleep(10_000) }
        return remaining.count
    }
}
