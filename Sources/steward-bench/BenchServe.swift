import ArgumentParser
import StewardServer

/// `steward-bench serve`: the server of the same build, run as a child process by `api`.
struct BenchServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a Steward server of this build (used by `api` to measure it in its own process).",
        discussion: """
            EXAMPLE:
              steward-bench serve --home ./bench-data/home --port 7790
            """,
        shouldDisplay: false
    )

    @Option(help: "The data directory.")
    var home: String

    @Option(help: "The port to listen on.")
    var port: Int

    func run() async throws {
        var configuration = ServerConfiguration()
        configuration.home = home
        configuration.host = "127.0.0.1"
        configuration.port = port
        // As etcd beside it (--log-level warn): no line per request in either.
        configuration.logLevel = .warning
        try await runServer(configuration)
    }
}
