import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A supervisor started by the benchmark with `posix_spawn`, with an empty signal mask and
/// every signal at its default action.
///
/// `Foundation.Process` spawns with the calling thread's signal mask, and an async function runs
/// on a pool thread that blocks nearly all signals; a supervisor started that way (and every
/// process it starts) would never see SIGTERM. Signals the benchmark itself ignores (SIGINT
/// when it runs in the background) would be ignored by the peers too. Both are reset here.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` (an absolute path) with `arguments`, its standard output and error
    /// written to a new file at `log`, standard input from /dev/null.
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, log: String) throws
        -> ChildProcess
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let environment = environment ?? ProcessInfo.processInfo.environment
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    /// False once the process has exited (it is then reaped).
    var isRunning: Bool {
        lock.withLock {
            guard status == nil else { return false }
            var value: Int32 = 0
            let result = waitpid(pid, &value, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                status = value
                return false
            }
            return true
        }
    }

    /// How the process ended, once it has: `exited with status N` or `ended by signal N`.
    var termination: String? {
        guard !isRunning, let status = lock.withLock({ status }) else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "ended by signal \(signal)"
    }

    /// Sends `signal` unless the process has exited.
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits up to `seconds` for the process to exit; true when it did.
    func waitForExit(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning {
            guard Date() < deadline else { return false }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return true
    }

    /// SIGTERM, then SIGKILL when the process has not exited within `seconds`; waits for it.
    func terminate(waiting seconds: Double) async {
        send(SIGTERM)
        if await waitForExit(seconds: seconds) { return }
        send(SIGKILL)
        _ = await waitForExit(seconds: 10)
    }
}
