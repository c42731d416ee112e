import ArgumentParser
import Foundation

/// The server a benchmark drives: a running one (`--server` with `--prvkey`), or a server of
/// this build started in a child process with its data under the run's folder.
struct BenchTarget: ParsableArguments {
    @Option(help: "Target a running server instead of starting one (needs --prvkey of a namespace owner).")
    var server: String?

    @Option(help: "The owner's private key (hex) for --server.")
    var prvkey: String?

    func validate() throws {
        if server != nil && prvkey == nil {
            throw ValidationError("--server needs --prvkey (an owner key of the namespace 'default')")
        }
    }

    /// A reachable server: its URL, an owner key, and the child process when one was started
    /// (the caller stops it).
    struct Resolved {
        let url: String
        let ownerKey: String
        let child: BenchServerProcess?
    }

    /// Returns the server named by the options, or starts one with its home under `runDirectory`.
    func resolve(runDirectory: URL) async throws -> Resolved {
        if let server, let prvkey {
            return Resolved(url: server, ownerKey: prvkey, child: nil)
        }
        let started = try await BenchServerProcess.start(home: runDirectory.appendingPathComponent("home").path)
        return Resolved(url: started.url, ownerKey: try started.ownerKey(), child: started)
    }
}
