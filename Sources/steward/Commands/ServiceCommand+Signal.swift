import ArgumentParser
import JSONSchema
import StewardClient
import StewardCore

extension Steward.ServiceCommand {
    /// `steward service signal`.
    struct Signal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signal",
            abstract: "Send a signal to every instance of a service (its whole process group).",
            discussion: """
                For services that act on a signal: reload a configuration (HUP), dump their state (USR1). Names with or without SIG: HUP, INT, QUIT, KILL, USR1, USR2, TERM, ALRM, WINCH, CONT, STOP, TSTP, PWR. An instance that ends because of the signal is restarted by its restart policy.

                EXAMPLE:
                  steward service signal --name web --signal USR1
                  steward service signal --name web --signal SIGHUP
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The service's name.")
        var name: String

        @Option(help: ArgumentHelp("The signal's name: HUP, USR1, TERM, ...", valueName: "name"))
        var signal: String

        func validate() throws {
            guard SpecValues.signal(signal) != nil else {
                throw ValidationError(
                    "--signal '\(signal)' is not a signal name; use one of \(SpecValues.signals.keys.sorted().joined(separator: ", "))")
            }
        }

        func run() async throws {
            let client = try options.makeClient()
            let instances = try await client.signalService(name: name, signal: signal)
            let name = SpecValues.signalName(SpecValues.signal(signal)!)
            options.printer.emit(.object(["signal": .string(name), "instances": .array(instances.map(JSON.string))])) {
                instances.isEmpty
                    ? "service/\(self.name) has no running instance; no signal sent\n"
                    : "sent SIG\(name) to \(instances.count) instance\(instances.count == 1 ? "" : "s"): \(instances.joined(separator: ", "))\n"
            }
        }
    }
}
