import Foundation
import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

/// Numbers from requests that once trapped the server (a conversion past Int64's range) are
/// clamped or refused with 400 naming the parameter and its range; the server stays up.
@Suite("Request input: out-of-range numbers are clamped or refused, never trap")
struct RequestInputRangeTests {
    static func register(_ api: API) async throws {
        let response = try await api.request(
            .post, "/api/v1/namespaces/default/executors", json: ["name": "e1", "executorType": "web-reconciler"])
        #expect(response.status == .created, "\(response.text)")
    }

    @Test(arguments: ["1e16", "1.7976931348623157e+308", "9223372036854775807", "100"])
    func assignTimeoutsAboveTheMaximumWaitTheMaximum(timeout: String) async throws {
        try await TestServer { $0.reconciliation.maxAssignWait = .milliseconds(300) }.run { api, _ in
            try await Self.register(api)
            let start = ContinuousClock.now
            let response = try await api.request(.post, "/api/v1/namespaces/default/executors/e1/assign?timeout=\(timeout)")
            #expect(response.status == .noContent, "\(response.text)")
            // The 300 ms maximum, with room for a loaded machine (the default would be 30 s).
            #expect(ContinuousClock.now - start < .seconds(25))
            #expect(try await api.unsigned(.get, "/healthz").status == .ok)
        }
    }

    @Test(arguments: ["-1", "-1e16", "nan", "inf", "-inf", "abc", "0x10"])
    func assignTimeoutsOutOfRangeAreRefused(timeout: String) async throws {
        try await TestServer().run { api, _ in
            try await Self.register(api)
            let response = try await api.request(.post, "/api/v1/namespaces/default/executors/e1/assign?timeout=\(timeout)")
            #expect(response.status == .badRequest)
            #expect(response.error?.field == "timeout")
            #expect(
                response.error?.message
                    == "'timeout' must be a number of seconds of 0 or more (the server waits at most 60000 ms), got '\(timeout)'")
        }
    }

    static func definition(reconcileInterval: JSON) -> JSON {
        [
            "metadata": ["name": "webs.example.io"],
            "spec": ["names": ["kind": "Web"], "handler": ["executorType": "web-reconciler", "reconcileInterval": reconcileInterval]],
        ]
    }

    @Test(arguments: [JSON.int(10_000_000_000_000_000), .int(31_536_001), .int(-1), .int(Int.max), .double(1e300)])
    func reconcileIntervalsOutOfRangeAreRefused(interval: JSON) async throws {
        try await TestServer().run { api, _ in
            let response = try await api.createDefinition(Self.definition(reconcileInterval: interval))
            #expect(response.status == .badRequest)
            #expect(response.error?.field == "spec.handler.reconcileInterval")
            if interval.intValue != nil {
                #expect(
                    response.error?.message
                        == "'spec.handler.reconcileInterval' must be a number of seconds from 0 to 31536000 (365 days), got \(interval.intValue!)")
            }
        }
    }

    @Test func theLongestReconcileIntervalIsAccepted() async throws {
        try await TestServer().run { api, _ in
            let response = try await api.createDefinition(Self.definition(reconcileInterval: 31_536_000))
            #expect(response.status == .created, "\(response.text)")
        }
    }

    @Test(arguments: ["-9223372036854775808", "9223372036854775807", "-1"])
    func signatureTimestampsFarFromTheClockAreRefused(timestamp: String) async throws {
        try await TestServer().run { api, _ in
            let response = try await api.request(
                .get, "/api/v1/namespaces/default/services", extraHeaders: [("Steward-Timestamp", timestamp)])
            #expect(response.status == .unauthorized)
            #expect(response.error?.message.hasPrefix("the request has expired: its timestamp is ") == true)
            #expect(try await api.unsigned(.get, "/healthz").status == .ok)
        }
    }
}
