import ArgumentParser
import Foundation
import StewardClient
import StewardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Steward.ServiceCommand {
    /// `steward service logs`.
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Print the logs (stdout and stderr) of a service's instances.",
            discussion: """
                Without --instance, prints the log of the current instance of every replica, each line prefixed with its replica's name as `docker compose logs` does (`web-1 | `), the replicas' lines interleaved by time. --instance takes a replica name (`web-1`: its current instance) or an instance id (`web-1-0192a3b4c5d6`, as `steward service get` shows); one instance's log is printed as it was written. --previous prints the instance that ran before (after a restart or a crash).

                --tail keeps the last N lines of each instance; --since the lines written within that long before now (10m, 30s, 2h). --timestamps starts each line with its time (RFC 3339, UTC). Times are those of the supervisor's log check, every 2 s: a line was written at most that long before its time. --follow keeps printing as the instances write, until interrupted (Ctrl-C). The server reads the logs of the instances on its node, under its <home>/logs; a service with no logs yet prints nothing.

                EXAMPLE:
                  steward service logs --name web
                  steward service logs --name web --instance web-1 --tail 100 -f
                  steward service logs --name web --instance web-1 --previous
                  steward service logs --name web --since 10m --timestamps
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The service's name.")
        var name: String

        @Option(help: ArgumentHelp("A replica name (web-1) or an instance id (default: the current instance of every replica).", valueName: "instance"))
        var instance: String?

        @Flag(name: [.short, .long], help: "Keep printing as the instances write, until interrupted.")
        var follow = false

        @Flag(name: [.short, .long], help: "Print the instance that ran before the current one.")
        var previous = false

        @Option(help: ArgumentHelp("Print only the last N lines of each instance (0 to 1000000).", valueName: "N"))
        var tail: Int?

        @Option(help: ArgumentHelp("Print only the lines written within this long before now: 10m, 30s, 2h or a number of seconds.", valueName: "duration"))
        var since: CLIDuration?

        @Flag(name: [.short, .long], help: "Start each line with the time it was written (RFC 3339, UTC).")
        var timestamps = false

        func validate() throws {
            if let tail, !(0...LogQuery.maxTail).contains(tail) {
                throw ValidationError("--tail must be a number of lines from 0 to \(LogQuery.maxTail), got \(tail)")
            }
            if options.output != .table {
                throw ValidationError("logs are printed as they were written; -o \(options.output.rawValue) does not apply to them")
            }
        }

        func run() async throws {
            let client = try options.makeClient()
            let query = LogQuery(
                instance: instance, previous: previous, tail: tail, since: since?.duration, timestamps: timestamps, follow: follow)
            for try await chunk in try await client.logs(service: name, query: query) {
                Self.writeToStandardOutput(chunk)
            }
        }

        /// Writes `bytes` to standard output at once (unbuffered, so that followed lines show as
        /// they come).
        static func writeToStandardOutput(_ bytes: [UInt8]) {
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + written, $0.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                written += n
            }
        }
    }
}
