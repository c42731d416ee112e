import ArgumentParser
import Foundation
import StewardCore
import StewardServer
import Testing

@testable import steward

/// `steward server --keep-finished-processes` and `STEWARD_KEEP_FINISHED_PROCESSES`: how many
/// finished processes each service keeps.
@Suite("Server option: --keep-finished-processes")
struct KeepFinishedProcessesOptionTests {
    /// The retention `steward server` would run with for `arguments` and `environment`.
    func keep(_ arguments: [String], environment: [String: String] = [:]) throws -> Int {
        let command = try Steward.ServerCommand.parse(arguments)
        var configuration = ReconciliationConfiguration()
        try command.reconciliation.apply(to: &configuration, environment: environment)
        return configuration.keepFinishedProcesses
    }

    @Test func theFlagOrElseTheEnvironmentSetsIt() throws {
        #expect(try keep([]) == 20)
        #expect(try keep(["--keep-finished-processes", "100"]) == 100)
        #expect(try keep(["--keep-finished-processes", "0"]) == 0)
        #expect(try keep([], environment: ["STEWARD_KEEP_FINISHED_PROCESSES": "5"]) == 5)
        #expect(try keep([], environment: ["STEWARD_KEEP_FINISHED_PROCESSES": ""]) == 20)
        #expect(try keep(["--keep-finished-processes", "7"], environment: ["STEWARD_KEEP_FINISHED_PROCESSES": "5"]) == 7)
    }

    @Test("a negative or non-numeric value is refused with the option's name", arguments: ["=-1", "=-20", "=many", "=1.5"])
    func refused(value: String) throws {
        do {
            _ = try keep(["--keep-finished-processes" + value])
            Issue.record("--keep-finished-processes\(value) was accepted")
        } catch {
            let message = Steward.ServerCommand.message(for: error)
            #expect(message.contains("--keep-finished-processes"), "\(message)")
        }
    }

    @Test("a negative or non-numeric STEWARD_KEEP_FINISHED_PROCESSES is refused", arguments: ["-1", "lots", "2e3"])
    func refusedFromTheEnvironment(value: String) throws {
        let error = #expect(throws: StewardError.self) {
            try keep([], environment: ["STEWARD_KEEP_FINISHED_PROCESSES": value])
        }
        #expect(error?.message == "STEWARD_KEEP_FINISHED_PROCESSES must be a whole number, 0 or more, got '\(value)'")
    }

    @Test func theBinaryRefusesANegativeValueBeforeStartingAndItsHelpExplainsTheOption() throws {
        let directory = FileManager.default.temporaryDirectory
        let refused = try StewardBinary.run(
            ["server", "--keep-finished-processes=-1"], directory: directory, environment: [:])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.hasPrefix("Error: --keep-finished-processes must be 0 or more, got -1\n"), "\(refused)")

        let help = try StewardBinary.run(["server", "--help"], directory: directory, environment: [:])
        #expect(help.status == 0, "\(help)")
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("--keep-finished-processes <count>"), "\(help)")
        #expect(flat.contains("each service keeps"), "\(help)")
        #expect(flat.contains("for example 100 (default: STEWARD_KEEP_FINISHED_PROCESSES or 20)"), "\(help)")
    }
}
