import ArgumentParser
import Foundation
import JSONSchema
import StewardClient
import StewardCore
import StewardSupervisor

extension Steward.ServiceCommand {
    /// `steward service restart`.
    struct Restart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restart",
            abstract: "Replace every instance of a service, one at a time (a rolling restart).",
            discussion: """
                Sets the annotation steward.io/restartedAt to the current time; the supervisor then replaces the instances one at a time, as for a spec change: each new instance runs (and passes its health check, when it has one) before the old one is stopped, so the service keeps its replicas running. With --wait, returns once every instance was replaced and the service is Ready.

                EXAMPLE:
                  steward service restart --name web
                  steward service restart --name web --wait --timeout 5m
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var waiting: WaitOptions

        @Option(help: "The service's name.")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            let now = Date()
            let token = Timestamp.rfc3339(milliseconds: Int64(now.timeIntervalSince1970 * 1000))
            let path = try JSONPath(parsing: #"metadata.annotations["\#(DesiredService.restartAnnotation)"]"#)
            let service = try await client.setField(name: name, path: path, value: .string(token))
            options.printer.emit(service.json) { "service/\(name) restarting (\(DesiredService.restartAnnotation)=\(token))\n" }
            guard waiting.wait else { return }
            Terminal.writeError("waiting for every instance of service/\(name) to be replaced...\n")
            let deadline = ContinuousClock.now + waiting.timeout.duration
            var last = ""
            while ContinuousClock.now < deadline {
                let status = try await client.service(name: name).status
                let instances = status["instances"]?.arrayValue ?? []
                let replaced = instances.filter { ($0["startedAt"]?.stringValue ?? "") >= token && $0["ready"]?.boolValue == true }
                let ready = status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }?["status"]?.stringValue == "True"
                let line = "\(replaced.count) of \(status["totalInstances"]?.intValue ?? 0) instances replaced"
                if line != last {
                    Terminal.writeError("  \(line)\n")
                    last = line
                }
                if ready, replaced.count == instances.count, replaced.count == status["totalInstances"]?.intValue ?? 0 {
                    Terminal.writeError("service/\(name) restarted\n")
                    return
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            throw StewardError(.unavailable, "service/\(name) was not restarted within \(waiting.timeout): \(last)")
        }
    }
}
