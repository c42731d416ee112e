import Foundation
import Logging
import Testing

@testable import StewardStore

/// Group commit on a real SQLite file: writes of one group run without savepoints; a write that
/// fails after changing rows makes the group run again with a savepoint per write.
@Suite("Write queue: group commit, failures and the savepoint fallback")
struct WriteQueueGroupTests {
    struct Refused: Error, Equatable {
        let index: Int
    }

    /// Counts how often each write ran.
    final class Runs: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int: Int] = [:]

        func record(_ index: Int) {
            lock.lock()
            counts[index, default: 0] += 1
            lock.unlock()
        }

        func count(_ index: Int) -> Int {
            lock.lock()
            defer { lock.unlock() }
            return counts[index] ?? 0
        }
    }

    enum Behaviour: Sendable {
        case insert
        case refuseBeforeChanging
        case refuseAfterChanging
    }

    /// Queues one write per behaviour while the writer thread is not started, so that they all
    /// form one group, then starts it; returns each write's outcome and the keys committed.
    func runOneGroup(_ behaviours: [Behaviour], runs: Runs) async throws -> (outcomes: [Result<Int, Refused>], keys: [String]) {
        let directory = try TemporaryDirectory("steward-write-queue")
        defer { directory.remove() }
        let connection = try SQLiteConnection(path: directory.path + "/queue.db", create: true)
        _ = try connection.first("PRAGMA journal_mode = WAL") { $0.text(0) }
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.execute("CREATE TABLE items (key TEXT NOT NULL PRIMARY KEY) STRICT")
        let queue = WriteQueue(connection: connection, state: WriterState(), logger: Logger(label: "test.write-queue"))
        let outcomes = try await withThrowingTaskGroup(of: (Int, Result<Int, Refused>).self) { tasks in
            for (index, behaviour) in behaviours.enumerated() {
                tasks.addTask {
                    do {
                        let value = try await queue.write { tx -> Int in
                            runs.record(index)
                            switch behaviour {
                            case .insert:
                                try tx.connection.run("INSERT INTO items (key) VALUES (?)", .text("k\(index)"))
                                return index
                            case .refuseBeforeChanging:
                                try tx.connection.run("UPDATE items SET key = key WHERE key = 'absent'")
                                throw Refused(index: index)
                            case .refuseAfterChanging:
                                try tx.connection.run("INSERT INTO items (key) VALUES (?)", .text("k\(index)"))
                                throw Refused(index: index)
                            }
                        }
                        return (index, .success(value))
                    } catch let error as Refused {
                        return (index, .failure(error))
                    }
                }
            }
            while queue.queuedCount < behaviours.count { try await Task.sleep(for: .milliseconds(2)) }
            queue.start()
            var outcomes = [Result<Int, Refused>?](repeating: nil, count: behaviours.count)
            for try await (index, outcome) in tasks { outcomes[index] = outcome }
            return outcomes.map { $0! }
        }
        queue.stop()
        let keys = try connection.all("SELECT key FROM items ORDER BY key", []) { $0.text(0) }
        return (outcomes, keys)
    }

    @Test func everyWriteOfASuccessfulGroupRunsOnceAndCommits() async throws {
        let runs = Runs()
        let behaviours = [Behaviour](repeating: .insert, count: 20)
        let (outcomes, keys) = try await runOneGroup(behaviours, runs: runs)
        #expect(outcomes == (0..<20).map { .success($0) })
        #expect(keys == (0..<20).map { "k\($0)" }.sorted())
        #expect((0..<20).allSatisfy { runs.count($0) == 1 })
    }

    @Test func aWriteRefusedBeforeChangingAnythingFailsAloneWithoutARerun() async throws {
        let runs = Runs()
        let behaviours: [Behaviour] = [.insert, .refuseBeforeChanging, .insert, .refuseBeforeChanging, .insert]
        let (outcomes, keys) = try await runOneGroup(behaviours, runs: runs)
        #expect(outcomes == [.success(0), .failure(Refused(index: 1)), .success(2), .failure(Refused(index: 3)), .success(4)])
        #expect(keys == ["k0", "k2", "k4"])
        #expect((0..<5).allSatisfy { runs.count($0) == 1 })
    }

    @Test func aWriteRefusedAfterChangingRowsIsUndoneAloneAndTheGroupRunsAgain() async throws {
        let runs = Runs()
        let behaviours: [Behaviour] = (0..<30).map { [.insert, .refuseAfterChanging, .refuseBeforeChanging][$0 % 3] }
        let (outcomes, keys) = try await runOneGroup(behaviours, runs: runs)
        for (index, behaviour) in behaviours.enumerated() {
            switch behaviour {
            case .insert: #expect(outcomes[index] == .success(index))
            case .refuseAfterChanging, .refuseBeforeChanging: #expect(outcomes[index] == .failure(Refused(index: index)))
            }
        }
        #expect(keys == (0..<30).filter { $0 % 3 == 0 }.map { "k\($0)" }.sorted())
        // The first write ran before the failure that changed rows, then again with savepoints.
        #expect(runs.count(0) == 2)
    }
}
