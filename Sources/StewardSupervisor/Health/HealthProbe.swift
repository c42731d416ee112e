import AsyncHTTPClient
import CStewardSystem
import Dispatch
import Glibc
import StewardCore

/// Runs one health check of an instance (`spec.healthCheck.probe`).
public enum HealthProbe {
    /// Runs `probe` once and says whether it passed, within `timeout`.
    ///
    /// - `exec`: the argv runs in `environment` and `workingDirectory` (a session of its own,
    ///   output captured); exit 0 passes. On timeout its whole process group is killed.
    /// - `http`: `GET http://127.0.0.1:<port><path>`; a 2xx or 3xx answer passes (redirects are
    ///   not followed).
    /// - `tcp`: a connection to `127.0.0.1:<port>` passes.
    ///
    /// `port` is the instance's port, used when the probe names none.
    public static func run(
        _ probe: HealthCheckSpec.Probe, port: Int?, environment: [String: String], workingDirectory: String?,
        timeout: Duration
    ) async -> HealthProbeResult {
        switch probe {
        case .exec(let command):
            return await runOnBlockingQueue {
                execProbe(command, environment: environment, workingDirectory: workingDirectory, timeout: timeout)
            }
        case .http(let path, let probePort):
            guard let port = probePort ?? port else { return noPort }
            // The HTTP client retries a refused connection until the deadline: connect once
            // first, so that a closed port fails at once and says so.
            let start = ContinuousClock.now
            let connected = await runOnBlockingQueue { tcpProbe(port: port, timeout: timeout) }
            guard connected.passed else { return connected }
            return await httpProbe(path: path, port: port, timeout: timeout, remaining: timeout - (ContinuousClock.now - start))
        case .tcp(let probePort):
            guard let port = probePort ?? port else { return noPort }
            return await runOnBlockingQueue { tcpProbe(port: port, timeout: timeout) }
        }
    }

    private static let noPort = HealthProbeResult(
        passed: false, message: "no port to probe: give the probe a port or the service a port")

    /// How a timeout reads in a message: `1s`, `1.5s`, `250ms`.
    static func describe(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        if milliseconds >= 1000 {
            let tenths = milliseconds / 100
            if tenths * 100 == milliseconds { return "\(tenths / 10).\(tenths % 10)s" }
        }
        return "\(milliseconds)ms"
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Runs blocking work (poll, waitid) on a Dispatch thread, never on Swift's cooperative pool.
    private static func runOnBlockingQueue(
        _ work: @escaping @Sendable () -> HealthProbeResult
    ) async -> HealthProbeResult {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    // MARK: exec

    /// At most this much of a command's output is kept (for the first line of the message).
    private static let outputLimit = 4096

    private static func execProbe(
        _ command: [String], environment: [String: String], workingDirectory: String?, timeout: Duration
    ) -> HealthProbeResult {
        var fds: [Int32] = [0, 0]
        guard steward_pipe_cloexec(&fds) == 0 else {
            return HealthProbeResult(passed: false, message: "pipe: \(ProcessSpawner.errorText(errno))")
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        defer { close(readEnd) }
        let pid: pid_t
        do throws(InstanceStartError) {
            pid = try ProcessSpawner.spawn(
                command, environment: environment, workingDirectory: workingDirectory, output: writeEnd)
        } catch {
            close(writeEnd)
            return HealthProbeResult(passed: false, message: error.message)
        }
        close(writeEnd)
        let pidfd = steward_pidfd_open(pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var outputOpen = true
        let deadline = ContinuousClock.now + timeout
        var ended = false
        while !ended {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { break }
            var polled = [
                pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: outputOpen ? readEnd : -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&polled, 2, Int32(clamping: max(1, milliseconds(remaining))))
            if ready < 0, errno != EINTR { break }
            if polled[1].revents != 0 { outputOpen = drain(readEnd, into: &output, buffer: &buffer) }
            if polled[0].revents != 0 { ended = true }
        }
        if !ended {
            _ = kill(-pid, SIGKILL)
            _ = ProcessReaper.reap(pidfd: pidfd)
            return HealthProbeResult(passed: false, message: "timed out after \(describe(timeout))")
        }
        if outputOpen { _ = drain(readEnd, into: &output, buffer: &buffer) }
        let exit = ProcessReaper.reap(pidfd: pidfd)
        let firstLine = String(decoding: output, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init)
        switch exit {
        case .exited(code: 0): return HealthProbeResult(passed: true, message: "exit 0")
        case .exited(let code):
            return HealthProbeResult(passed: false, message: "exit \(code)" + (firstLine.map { ": \($0)" } ?? ""))
        case .signaled(let signal):
            return HealthProbeResult(passed: false, message: "killed by signal \(signal)")
        case .unknown:
            return HealthProbeResult(passed: false, message: "the probe's exit status was lost")
        }
    }

    /// Reads what is there; false at end of file (or an error).
    private static func drain(_ fd: Int32, into output: inout [UInt8], buffer: inout [UInt8]) -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                if output.count < outputLimit { output.append(contentsOf: buffer[0..<min(count, outputLimit - output.count)]) }
                continue
            }
            if count < 0, errno == EINTR { continue }
            return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }
    }

    // MARK: http

    /// A client for probes: redirects are answers, not followed; no connection is reused, so
    /// each probe reaches the instance that listens now.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.idleTimeout = .seconds(1)
        configuration.maximumUsesPerConnection = 1
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    private static func httpProbe(
        path: String, port: Int, timeout: Duration, remaining: Duration
    ) async -> HealthProbeResult {
        let path = path.hasPrefix("/") ? path : "/" + path
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "User-Agent", value: "steward-health-probe")
        request.headers.add(name: "Connection", value: "close")
        do {
            let response = try await client.execute(
                request, timeout: .milliseconds(Int64(max(1, milliseconds(remaining)))))
            let status = Int(response.status.code)
            return HealthProbeResult(passed: (200..<400).contains(status), message: "HTTP \(status)")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .connectTimeout
            || error == .readTimeout
        {
            return HealthProbeResult(passed: false, message: "timed out after \(describe(timeout))")
        } catch {
            let text = String(describing: error)
            if text.localizedLowercase.contains("connection refused") || text.contains("ECONNREFUSED")
                || text.contains("errno: \(ECONNREFUSED)")
            {
                return HealthProbeResult(passed: false, message: "connection refused on 127.0.0.1:\(port)")
            }
            return HealthProbeResult(passed: false, message: "GET 127.0.0.1:\(port)\(path): \(text)")
        }
    }

    // MARK: tcp

    private static func tcpProbe(port: Int, timeout: Duration) -> HealthProbeResult {
        let address = "127.0.0.1:\(port)"
        guard (1...65535).contains(port) else {
            return HealthProbeResult(passed: false, message: "port \(port) is not between 1 and 65535")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return HealthProbeResult(passed: false, message: "socket: \(ProcessSpawner.errorText(errno))") }
        defer { close(fd) }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(UInt16(port).bigEndian)
        target.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var failure: Int32 = result == 0 ? 0 : errno
        if result != 0, failure == EINPROGRESS {
            var polled = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let deadline = ContinuousClock.now + timeout
            var ready: Int32 = 0
            repeat {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { break }
                ready = poll(&polled, 1, Int32(clamping: max(1, milliseconds(remaining))))
            } while ready < 0 && errno == EINTR
            guard ready > 0 else {
                return HealthProbeResult(passed: false, message: "timed out after \(describe(timeout))")
            }
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
        }
        switch failure {
        case 0: return HealthProbeResult(passed: true, message: "connected to \(address)")
        case ECONNREFUSED: return HealthProbeResult(passed: false, message: "connection refused on \(address)")
        default: return HealthProbeResult(passed: false, message: "connect to \(address): \(ProcessSpawner.errorText(failure))")
        }
    }
}
