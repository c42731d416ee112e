#if canImport(Glibc)
import Glibc
#endif

/// Names the calling thread for the operating system, so that `top -H`, `perf` and
/// `/proc/<pid>/task/*/comm` show what each of the store's threads is (`Thread.name` does not
/// reach the kernel on Linux). Linux keeps at most 15 bytes of it; failure is harmless and
/// ignored.
enum ThreadName {
    static func setCurrent(_ name: String) {
        #if os(Linux)
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        #endif
    }
}
