import CStewardSystem
import Foundation
import Synchronization

/// One thread for the whole process that waits, in `epoll_wait`, for the pidfds of all watched
/// processes: a pidfd becomes readable when its process ends, child or not. No polling.
final class ExitWatcher: Sendable {
    /// The watcher all runtimes and probes share.
    static let shared = ExitWatcher()

    private struct State {
        var started = false
        var callbacks: [Int32: @Sendable (Int32) -> Void] = [:]
    }

    private let epoll: Int32
    private let state = Mutex(State())

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epoll >= 0, "epoll_create1 failed: \(ProcessSpawner.errorText(errno))")
    }

    /// Calls `onExit(pidfd)` once, on the watcher's thread, when the process of `pidfd` has
    /// ended (at once when it already has). `onExit` owns the descriptor then: it reaps
    /// (`waitid`) and closes it. It must not block.
    func watch(pidfd: Int32, onExit: @escaping @Sendable (Int32) -> Void) {
        let startThread = state.withLock { state in
            state.callbacks[pidfd] = onExit
            defer { state.started = true }
            return !state.started
        }
        if startThread {
            let thread = Thread { [self] in run() }
            thread.name = "steward-exits"
            thread.start()
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = pidfd
        if epoll_ctl(epoll, EPOLL_CTL_ADD, pidfd, &event) != 0 {
            // Cannot happen for a valid pidfd; report the end rather than lose the process.
            let callback = state.withLock { $0.callbacks.removeValue(forKey: pidfd) }
            callback?(pidfd)
        }
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let count = events.withUnsafeMutableBufferPointer {
                epoll_wait(epoll, $0.baseAddress, Int32($0.count), -1)
            }
            if count < 0 {
                if errno == EINTR { continue }
                fatalError("epoll_wait failed: \(ProcessSpawner.errorText(errno))")
            }
            for index in 0..<Int(count) {
                let pidfd = events[index].data.fd
                epoll_ctl(epoll, EPOLL_CTL_DEL, pidfd, nil)
                let callback = state.withLock { $0.callbacks.removeValue(forKey: pidfd) }
                callback?(pidfd)
            }
        }
    }
}

/// What `waitid` tells about an ended process.
enum ProcessReaper {
    /// Reaps the ended process of `pidfd` when it is this process's child; `.unknown` when it
    /// is not (an adopted instance: `ECHILD`), or when someone else reaped it first.
    static func reap(pidfd: Int32) -> InstanceExit {
        var exited: Int32 = 0
        var status: Int32 = 0
        while true {
            if steward_waitid_pidfd(pidfd, 0, &exited, &status) == 0 {
                return exited == 1 ? .exited(code: status) : .signaled(signal: status)
            }
            if errno == EINTR { continue }
            return .unknown
        }
    }
}
