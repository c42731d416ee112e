import StewardCore
import Testing

/// The query of the logs endpoint: its parameters, their errors, and the client's encoding.
@Suite("Log query")
struct LogQueryTests {
    private func parse(_ parameters: [String: String]) throws(StewardError) -> LogQuery {
        try LogQuery(parameter: { parameters[$0] })
    }

    @Test("parameters are read; absent or empty ones are the defaults")
    func parameters() throws {
        #expect(try parse([:]) == LogQuery())
        #expect(try parse(["tail": "", "since": "", "follow": ""]) == LogQuery())
        let query = try parse([
            "instance": "web-1", "previous": "true", "tail": "1000000", "since": "1.5m", "timestamps": "false", "follow": "true",
        ])
        #expect(query == LogQuery(instance: "web-1", previous: true, tail: 1_000_000, since: .seconds(90), timestamps: false, follow: true))
        #expect(try parse(["since": "500ms"]).since == .milliseconds(500))
        #expect(try parse(["since": "2h"]).since == .seconds(7200))
        #expect(try parse(["tail": "0"]).tail == 0)
    }

    @Test("bad parameters are refused naming the parameter", arguments: [
        ("tail", "-1"), ("tail", "1000001"), ("tail", "ten"), ("tail", "+5"), ("tail", "99999999999999999999"),
        ("since", "10"), ("since", "-5m"), ("since", "1e3s"), ("since", "infs"), ("since", "10d"), ("since", "999999999999h"),
        ("previous", "yes"), ("timestamps", "1"), ("follow", "TRUE"),
    ])
    func badParameters(name: String, value: String) {
        let error = #expect(throws: StewardError.self) { try parse([name: value]) }
        #expect(error?.code == .invalidInput)
        #expect(error?.field == name)
        #expect(error?.message.contains("'\(value)'") == true, "\(String(describing: error))")
    }

    @Test("the query items hold what differs from the defaults, and read back the same")
    func roundTrip() throws {
        #expect(LogQuery().queryItems.compactMap(\.1).isEmpty)
        let query = LogQuery(instance: "web-0-0192a3b4c5d6", previous: true, tail: 20, since: .milliseconds(1500), timestamps: true, follow: true)
        let items = Dictionary(uniqueKeysWithValues: query.queryItems.compactMap { name, value in value.map { (name, $0) } })
        #expect(items["since"] == "1500ms")
        #expect(try parse(items) == query)
    }
}
