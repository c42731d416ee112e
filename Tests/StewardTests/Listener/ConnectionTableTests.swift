import Testing

@testable import StewardServer

/// The connection limit's table: admission, and which waiting connection makes room.
@Suite("Connection table: the limit, and closing the longest-waiting connection at it")
struct ConnectionTableTests {
    @Test func belowTheLimitEveryConnectionIsAccepted() {
        var table = ConnectionTable<Int>(limit: 3)
        for id in 0..<3 {
            #expect(table.open(id) == .accept)
            table.awaitsRequest(id)
        }
        #expect(table.count == 3)
    }

    @Test func atTheLimitTheLongestWaitingMakesRoomAndBusyOnesStay() {
        var table = ConnectionTable<Int>(limit: 3)
        for id in 0..<3 {
            _ = table.open(id)
            table.awaitsRequest(id)
        }
        table.busy(0)
        #expect(table.open(3) == .acceptClosing(1))
        table.awaitsRequest(3)
        // 1 is closing: it is not chosen again before its close arrives.
        #expect(table.open(4) == .acceptClosing(2))
        table.awaitsRequest(4)
        _ = table.closed(1)
        _ = table.closed(2)
        #expect(table.count == 3)
        // 0 went back to waiting after 3 and 4 began: they go first.
        table.awaitsRequest(0)
        #expect(table.open(5) == .acceptClosing(3))
    }

    @Test func atTheLimitWithEveryConnectionBusyANewOneIsRefused() {
        var table = ConnectionTable<Int>(limit: 2)
        for id in 0..<2 {
            _ = table.open(id)
            table.awaitsRequest(id)
            table.busy(id)
        }
        #expect(table.open(2) == .refuse)
        #expect(table.count == 2)
        _ = table.closed(0)
        #expect(table.open(3) == .accept)
    }

    @Test func manyRequestsOnFewConnectionsKeepTheQueueSmall() {
        var table = ConnectionTable<Int>(limit: 4)
        for id in 0..<4 {
            _ = table.open(id)
            table.awaitsRequest(id)
        }
        for _ in 0..<100_000 {
            for id in 0..<4 {
                table.busy(id)
                table.awaitsRequest(id)
            }
        }
        #expect(table.waitingCount == 4)
        #expect(table.open(9) == .acceptClosing(0))
    }

    @Test func closingMostOfAFloodAsksOnceToGiveTheMemoryBack() {
        var table = ConnectionTable<Int>(limit: 10_000)
        for id in 0..<4000 { _ = table.open(id) }
        var trims: [Int] = []
        for id in 0..<4000 where table.closed(id) { trims.append(table.count) }
        #expect(trims == [1000])
        // Small numbers never ask.
        for id in 0..<500 { _ = table.open(10_000 + id) }
        #expect(!(0..<500).contains { table.closed(10_000 + $0) })
    }
}
