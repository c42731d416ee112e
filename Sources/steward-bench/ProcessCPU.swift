import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU time (user + system) consumed so far by a process, read from `/proc/<pid>/stat`, so a
/// benchmark can say how much CPU one request costs the server and the load generator.
struct ProcessCPU: Sendable {
    /// The process to read, or nil for this process.
    let pid: Int32?

    /// Seconds of CPU used, or nil where `/proc` is not available.
    func seconds() -> Double? {
        let path = "/proc/\(pid.map(String.init) ?? "self")/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / ticks
    }
}
