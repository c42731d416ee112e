import Foundation
import StewardCore

/// Produces the chunks of one read of instance logs: what the instances' files hold (one
/// instance's bytes as they are; several instances' lines interleaved by their times, which the
/// time index knows to the rotator's check interval), then, when following, what any of them
/// appends, polled every ``pollInterval``.
///
/// While following and nothing is written, it yields an empty chunk every ``heartbeatInterval``
/// so that its consumer can find out whether its own client is still there (an HTTP response
/// writes nothing for it, but fails once the connection is closed). It ends when the consuming
/// task is cancelled.
///
/// `@unchecked Sendable`: the stream calls ``next()`` for one element at a time, so its state is
/// only ever touched by one caller; the file I/O runs on a global dispatch queue meanwhile.
final class LogReader: @unchecked Sendable {
    private let cursors: [InstanceLogCursor]
    private let follows: Bool
    let pollInterval: Duration
    let heartbeatInterval: Duration
    private var current = 0
    private var inInitialPhase = true
    private var idleSince = ContinuousClock.now

    init(cursors: [InstanceLogCursor], follows: Bool, pollInterval: Duration = .milliseconds(200), heartbeatInterval: Duration = .seconds(1)) {
        self.cursors = cursors
        self.follows = follows
        self.pollInterval = pollInterval
        self.heartbeatInterval = heartbeatInterval
    }

    /// The reading as a stream that pulls one chunk at a time (a slow consumer slows the reading).
    func stream() -> AsyncThrowingStream<[UInt8], Error> {
        AsyncThrowingStream(unfolding: { [self] in try await next() })
    }

    /// The next chunk; empty as a heartbeat; nil at the end.
    func next() async throws -> [UInt8]? {
        while !Task.isCancelled {
            if inInitialPhase, cursors.count > 1 {
                // Several instances: their lines interleaved by time (ties in replica order).
                let cursors = self.cursors
                let chunk = try await Self.offload { () throws(StewardError) -> [UInt8] in
                    var out: [UInt8] = []
                    while out.count < InstanceLogCursor.chunkSize {
                        var earliest: (cursor: InstanceLogCursor, milliseconds: Int64)?
                        for cursor in cursors {
                            if let time = try cursor.nextLineTime(), time < earliest?.milliseconds ?? .max {
                                earliest = (cursor, time)
                            }
                        }
                        guard let earliest else { break }
                        out += earliest.cursor.takeLine()
                    }
                    return out
                }
                if !chunk.isEmpty { return chunk }
                current = cursors.count
            }
            if inInitialPhase {
                while current < cursors.count {
                    let cursor = cursors[current]
                    if let chunk = try await Self.offload({ () throws(StewardError) in try cursor.nextInitialChunk() }) {
                        return chunk
                    }
                    current += 1
                }
                inInitialPhase = false
                guard follows else { return nil }
                idleSince = .now
            }
            let cursors = self.cursors
            let (chunk, more) = try await Self.offload { () throws(StewardError) -> ([UInt8], Bool) in
                var out: [UInt8] = []
                for cursor in cursors { out += try cursor.poll() }
                return (out, cursors.contains { $0.hasMore() })
            }
            if !chunk.isEmpty {
                idleSince = .now
                return chunk
            }
            if more { continue }
            if ContinuousClock.now - idleSince >= heartbeatInterval {
                idleSince = .now
                return []
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                return nil
            }
        }
        return nil
    }

    /// Runs blocking file I/O on a global dispatch queue, off the cooperative pool.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws(StewardError) -> T) async throws(StewardError) -> T {
        let result: Result<T, StewardError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(StewardError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
