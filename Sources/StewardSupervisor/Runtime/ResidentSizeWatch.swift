import Dispatch
import Synchronization

/// The memory limit where there is no memory cgroup: one timer for all limited instances
/// measures each process tree's resident size and reports the trees over their limit.
final class ResidentSizeWatch: Sendable {
    private struct Entry {
        var pid: Int32
        var limit: Int64
        /// Called (on the watch's queue) when the tree is over the limit; the entry is dropped
        /// first, so once.
        var onExceeded: @Sendable () -> Void
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var timer: DispatchSourceTimer?
    }

    private let interval: Duration
    private let queue = DispatchQueue(label: "steward.resident-size-watch")
    private let state = Mutex(State())
    init(interval: Duration) {
        self.interval = interval
    }

    deinit {
        state.withLock { $0.timer?.cancel() }
    }

    /// Watches the tree of `pid` against `limit` bytes (replacing an earlier limit); calls
    /// `onExceeded` once when the tree's resident size passes it.
    func add(_ instanceID: String, pid: Int32, limit: Int64, onExceeded: @escaping @Sendable () -> Void) {
        state.withLock { state in
            state.entries[instanceID] = Entry(pid: pid, limit: limit, onExceeded: onExceeded)
            guard state.timer == nil else { return }
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let nanoseconds = Int(interval.components.seconds) * 1_000_000_000
                + Int(interval.components.attoseconds / 1_000_000_000)
            timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds))
            timer.setEventHandler { [weak self] in self?.tick() }
            timer.resume()
            state.timer = timer
        }
    }

    /// Stops watching an instance; the timer stops with the last one.
    func remove(_ instanceID: String) {
        state.withLock { state in
            state.entries.removeValue(forKey: instanceID)
            if state.entries.isEmpty {
                state.timer?.cancel()
                state.timer = nil
            }
        }
    }

    private func tick() {
        let entries = state.withLock { $0.entries }
        for (instanceID, entry) in entries {
            guard let resident = ProcFS.treeResidentBytes(entry.pid), resident > entry.limit else { continue }
            let stillWatched = state.withLock { $0.entries.removeValue(forKey: instanceID) != nil }
            if stillWatched { entry.onExceeded() }
        }
    }
}
