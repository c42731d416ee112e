import ArgumentParser
import Foundation
import StewardCore
import StewardServer
import Testing

@testable import steward

/// `steward server --event-retention` and `STEWARD_EVENT_RETENTION`: how long the event log
/// keeps changes for watches.
@Suite("Server option: --event-retention")
struct EventRetentionOptionTests {
    /// The retention `steward server` would run with for `arguments` and `environment`.
    func retention(_ arguments: [String], environment: [String: String] = [:]) throws -> Duration {
        try Steward.ServerCommand.parse(arguments).eventRetention(environment: environment)
    }

    @Test func theFlagOrElseTheEnvironmentSetsIt() throws {
        #expect(try retention([]) == .seconds(3600))
        #expect(ServerConfiguration().eventRetention == .seconds(3600))
        #expect(try retention(["--event-retention", "30m"]) == .seconds(1800))
        #expect(try retention(["--event-retention", "90"]) == .seconds(90))
        #expect(try retention(["--event-retention=2h"]) == .seconds(7200))
        #expect(try retention([], environment: ["STEWARD_EVENT_RETENTION": "10m"]) == .seconds(600))
        #expect(try retention([], environment: ["STEWARD_EVENT_RETENTION": ""]) == .seconds(3600))
        #expect(try retention(["--event-retention", "5m"], environment: ["STEWARD_EVENT_RETENTION": "10m"]) == .seconds(300))
    }

    @Test("a value that is not a duration of more than zero is refused with the option's name", arguments: ["=0", "=0s", "=-5m", "=soon", "=1d"])
    func refused(value: String) throws {
        do {
            _ = try retention(["--event-retention" + value])
            Issue.record("--event-retention\(value) was accepted")
        } catch {
            let message = Steward.ServerCommand.message(for: error)
            #expect(message.contains("--event-retention"), "\(message)")
        }
    }

    @Test("a bad STEWARD_EVENT_RETENTION is refused", arguments: ["0", "-1h", "an hour"])
    func refusedFromTheEnvironment(value: String) throws {
        let error = #expect(throws: StewardError.self) {
            try retention([], environment: ["STEWARD_EVENT_RETENTION": value])
        }
        #expect(
            error?.message
                == "STEWARD_EVENT_RETENTION must be a duration of more than zero such as 1h, 30m or 90s, got '\(value)'")
    }

    @Test func theBinaryRefusesAZeroRetentionBeforeStartingAndItsHelpExplainsTheOption() throws {
        let directory = FileManager.default.temporaryDirectory
        let refused = try StewardBinary.run(["server", "--event-retention", "0"], directory: directory, environment: [:])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("--event-retention"), "\(refused)")

        // A bad environment value is not a usage error: the message alone, exit 1.
        let badEnvironment = try StewardBinary.run(
            ["server"], directory: directory, environment: ["STEWARD_EVENT_RETENTION": "an hour"])
        #expect(badEnvironment.status == 1, "\(badEnvironment)")
        #expect(
            badEnvironment.stderr
                == "Error: STEWARD_EVENT_RETENTION must be a duration of more than zero such as 1h, 30m or 90s, got 'an hour'\n",
            "\(badEnvironment)")

        let help = try StewardBinary.run(["server", "--help"], directory: directory, environment: [:])
        #expect(help.status == 0, "\(help)")
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("--event-retention <duration>"), "\(help)")
        #expect(flat.contains("(default: STEWARD_EVENT_RETENTION or 1h)"), "\(help)")
    }
}
