import Synchronization

/// The port the server listens on, known once it is bound (`--port 0` picks one): services that
/// run beside the server and call its API wait for it.
public final class ListeningPort: Sendable {
    private struct State {
        var port: Int?
        var waiters: [Int: CheckedContinuation<Int, any Error>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Sets the port and wakes the waiters; later calls do nothing.
    public func set(_ port: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int, any Error>] in
            guard state.port == nil else { return [] }
            state.port = port
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// The port, once the server listens; throws `CancellationError` when the waiting task is
    /// cancelled (a server that never binds, say because its port is in use, must still stop).
    public func wait() async throws -> Int {
        let id = state.withLock { state -> Int in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let outcome = state.withLock { state -> Result<Int, any Error>? in
                    if let port = state.port { return .success(port) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
