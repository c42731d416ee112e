import NIOCore
import Testing

@testable import StewardServer

/// The deadline of a connection as its request and response go by, without sockets or sleeping.
@Suite("Connection deadlines: header, body and idle timeouts")
struct ConnectionTimeoutsTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    static func at(_ seconds: Int64) -> NIODeadline { start + .seconds(seconds) }

    func timeouts() -> ConnectionTimeouts {
        ConnectionTimeouts(headerTimeout: .seconds(10), idleTimeout: .seconds(60), openedAt: Self.start)
    }

    @Test func theFirstHeadIsDueTheHeaderTimeoutAfterTheOpeningWhateverArrives() {
        var t = timeouts()
        #expect(t.deadline == Self.at(10))
        #expect(t.isAwaitingRequest)
        t.bytesArrived(at: Self.at(3))
        t.bytesArrived(at: Self.at(9))
        #expect(t.deadline == Self.at(10))
    }

    @Test func aBodyMayPauseForTheIdleTimeoutBetweenParts() {
        var t = timeouts()
        t.headRead(at: Self.at(1))
        #expect(!t.isAwaitingRequest)
        #expect(t.deadline == Self.at(61))
        t.bytesArrived(at: Self.at(30))
        #expect(t.deadline == Self.at(90))
    }

    @Test func aRequestBeingAnsweredHasNoDeadline() {
        var t = timeouts()
        t.headRead(at: Self.at(1))
        t.endRead()
        #expect(t.deadline == nil)
        // A pipelined head arriving meanwhile does not set one either.
        t.bytesArrived(at: Self.at(500))
        t.headRead(at: Self.at(501))
        #expect(t.deadline == nil)
    }

    @Test func afterTheResponseTheConnectionMayIdleThenTheNextHeadHasTheHeaderTimeout() {
        var t = timeouts()
        t.headRead(at: Self.at(1))
        t.endRead()
        t.responseWritten(at: Self.at(2))
        #expect(t.isAwaitingRequest)
        #expect(t.deadline == Self.at(62))
        t.bytesArrived(at: Self.at(40))
        #expect(t.deadline == Self.at(50))
        t.bytesArrived(at: Self.at(45))
        #expect(t.deadline == Self.at(50))
        t.headRead(at: Self.at(46))
        #expect(t.deadline == Self.at(106))
    }

    @Test func aResponseWrittenBeforeTheBodyWasReadKeepsTheBodyDeadline() {
        var t = timeouts()
        t.headRead(at: Self.at(1))
        t.responseWritten(at: Self.at(2))
        #expect(!t.isAwaitingRequest)
        #expect(t.deadline == Self.at(61))
        t.endRead()
        #expect(t.isAwaitingRequest)
        #expect(t.deadline == Self.at(62))
    }
}
