import Foundation

/// Runs blocking work (starting or waiting for a process, a socket exchange) on a thread of its
/// own, so that it does not hold one of the few threads of Swift's cooperative pool, which the
/// in-process servers of the tests that run beside it need.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
