import ArgumentParser
import StewardClient
import StewardCore

/// The flags every command that talks to a server shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The server's URL (default: STEWARD_SERVER, the current context of the client configuration, or http://127.0.0.1:7700).", valueName: "url"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("The private key in hex (default: STEWARD_PRVKEY, STEWARD_PRVKEY_FILE, or the current context's key file).", valueName: "hex"))
    var prvkey: String?

    @Option(name: .long, help: ArgumentHelp("The namespace to work in (default: STEWARD_NAMESPACE, the current context, or 'default').", valueName: "name"))
    var namespace: String?

    @Option(name: [.short, .long], help: "The output format: table, json or yaml.")
    var output: OutputFormat = .table

    /// The settings these flags and the environment resolve to.
    func settings() throws -> ClientSettings {
        try ClientSettings.resolve(server: server, privateKey: prvkey, namespace: namespace)
    }

    /// A client for the resolved settings.
    func makeClient() throws -> StewardClient {
        try settings().makeClient()
    }

    /// The printer for the chosen output format.
    var printer: Printer { Printer(format: output) }
}
