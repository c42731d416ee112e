import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Ed25519Verifier {
    /// One thread of its own, started on first use, that runs submitted work in order at nice 19
    /// (Linux gives each thread its own nice value), so that building tables takes only the CPU
    /// that everything else leaves.
    final class TableBuilder: @unchecked Sendable {
        private let condition = NSCondition()
        private var jobs: [@Sendable () -> Void] = []
        private var started = false

        func submit(_ job: @escaping @Sendable () -> Void) {
            condition.lock()
            jobs.append(job)
            if !started {
                started = true
                let thread = Thread { [self] in run() }
                thread.name = "steward-ed25519"
                thread.start()
            }
            condition.signal()
            condition.unlock()
        }

        private func run() {
            #if canImport(Glibc)
                // Under Linux the nice value is per thread, and who = 0 is the calling thread.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            while true {
                condition.lock()
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
            }
        }
    }
}
