#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the HTTP listener treats slow, idle and surplus connections.
///
/// A connection gets ``headerTimeout`` to send a complete request head (from its first byte, or
/// from the connection's opening for its first request), ``idleTimeout`` between requests on a
/// kept-alive connection and between the parts of a request body. A request that has been read
/// has no time limit: watch streams and the executors' assign long poll last as long as they need.
///
/// At most ``maxConnections`` connections are open at once. At the limit, a new connection
/// closes the longest-waiting connection that has no request in progress (idle or still sending
/// its head), so slow clients cannot lock others out; when every connection is busy, the new one
/// gets 503 and is closed.
public struct ListenerConfiguration: Sendable, Equatable {
    /// The default ``headerTimeout``: 10 seconds.
    public static let defaultHeaderTimeout: Duration = .seconds(10)
    /// The default ``idleTimeout``: 60 seconds.
    public static let defaultIdleTimeout: Duration = .seconds(60)

    /// How long a client may take to send a request head.
    public var headerTimeout: Duration = ListenerConfiguration.defaultHeaderTimeout
    /// How long a connection may stay silent between requests, or within a request body.
    public var idleTimeout: Duration = ListenerConfiguration.defaultIdleTimeout
    /// The most connections open at once; nil: ``defaultMaxConnections(fileDescriptorLimit:)`` of
    /// the process's limit on open files.
    public var maxConnections: Int?
    /// The length of the kernel's queue of connections not yet accepted.
    public var backlog: Int = 4096

    public init() {}

    /// The connection limit in force: ``maxConnections``, else the default for this process.
    public var effectiveMaxConnections: Int {
        maxConnections ?? Self.defaultMaxConnections(fileDescriptorLimit: Self.fileDescriptorLimit())
    }

    /// The default connection limit for a process that may open `limit` files: the limit less
    /// a reserve for the store, logs and keys (a quarter of the limit, at most 1,024), and at
    /// least 16.
    public static func defaultMaxConnections(fileDescriptorLimit limit: Int) -> Int {
        max(16, limit - min(1024, limit / 4))
    }

    /// The soft limit on open files (`RLIMIT_NOFILE`) of this process.
    public static func fileDescriptorLimit() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        // RLIM_INFINITY is the largest value, above Int32.max.
        return limit.rlim_cur > UInt64(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }
}
