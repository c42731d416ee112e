import Foundation

/// Wakes the executors waiting (long poll) for processes of one executor type in one namespace.
///
/// Each (namespace, executor type) has an epoch that moves on every signal. A waiter reads the
/// epoch before it looks for work and waits only while the epoch is unchanged, so a signal that
/// lands between the look and the wait is not lost.
public final class ProcessSignals: @unchecked Sendable {
    private struct Key: Hashable {
        let namespace: String
        let executorType: String
    }

    private let lock = NSLock()
    private var epochs: [Key: UInt64] = [:]
    private var waiters: [Key: [UInt64: CheckedContinuation<Void, Never>]] = [:]
    private var nextWaiter: UInt64 = 0

    public init() {}

    /// The current epoch of (namespace, executorType).
    public func epoch(namespace: String, executorType: String) -> UInt64 {
        lock.withLock { epochs[Key(namespace: namespace, executorType: executorType)] ?? 0 }
    }

    /// How many requests wait on (namespace, executorType) now (for tests and diagnostics).
    func waiterCount(namespace: String, executorType: String) -> Int {
        lock.withLock { waiters[Key(namespace: namespace, executorType: executorType)]?.count ?? 0 }
    }

    /// Wakes every waiter of (namespace, executorType).
    public func signal(namespace: String, executorType: String) {
        let key = Key(namespace: namespace, executorType: executorType)
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            epochs[key, default: 0] &+= 1
            let list = waiters.removeValue(forKey: key).map { Array($0.values) } ?? []
            return list
        }
        for continuation in woken { continuation.resume() }
    }

    /// Wakes every waiter (shutdown).
    public func signalAll() {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            for key in epochs.keys { epochs[key]! &+= 1 }
            let all = waiters.values.flatMap(\.values)
            waiters.removeAll()
            return all
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns when (namespace, executorType) is signalled after `epoch`, when `timeout` passes,
    /// or when the task is cancelled, whichever comes first.
    public func wait(namespace: String, executorType: String, since epoch: UInt64, timeout: Duration) async {
        let key = Key(namespace: namespace, executorType: executorType)
        let id: UInt64 = lock.withLock {
            nextWaiter += 1
            return nextWaiter
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let resumeNow: Bool = self.lock.withLock {
                            if (self.epochs[key] ?? 0) != epoch || Task.isCancelled { return true }
                            self.waiters[key, default: [:]][id] = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    self.wake(key, id)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func wake(_ key: Key, _ id: UInt64) {
        let continuation = lock.withLock { waiters[key]?.removeValue(forKey: id) }
        continuation?.resume()
    }
}
