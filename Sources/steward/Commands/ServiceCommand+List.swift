import ArgumentParser
import JSONSchema
import StewardClient
import StewardCore

extension Steward.ServiceCommand {
    /// `steward service ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List services, optionally of one kind or with given labels; or follow changes.",
            discussion: """
                Lists the services of the namespace. --kind keeps one kind; each -l key=value keeps services carrying that label (all must match). --watch prints the list, then one line per change as it happens (until interrupted):
                  <revision> <ADDED|MODIFIED|DELETED> service/<name> kind=<kind> generation=<n>
                With -o json, each change is one JSON line.

                EXAMPLE:
                  steward service ls
                  steward service ls --kind ExecutorDeployment
                  steward service ls -l tier=web -l env=prod -o yaml
                  steward service ls --watch
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "Show only services of this kind.")
        var kind: String?

        @Option(name: [.customShort("l"), .customLong("label")], help: ArgumentHelp("Show only services with this label (repeatable).", valueName: "key=value"))
        var labels: [String] = []

        @Flag(help: "After listing, follow changes and print one line per event.")
        var watch = false

        func validate() throws {
            for label in labels where !label.contains("=") || label.hasPrefix("=") {
                throw ValidationError("label selector '\(label)' must have the form key=value")
            }
        }

        func run() async throws {
            let client = try options.makeClient()
            let pairs = labels.map { label -> (String, String) in
                let parts = label.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            let list = try await client.services(kind: kind, labels: pairs)
            let namespace = client.configuration.namespace
            if watch {
                try await follow(client: client, list: list, namespace: namespace, labels: pairs)
                return
            }
            options.printer.emit(ServiceRenderer.listJSON(list.items, revision: list.revision)) {
                [ServiceRenderer.list(list.items, namespace: namespace)]
            }
        }

        private func follow(client: StewardClient, list: ServiceList, namespace: String, labels: [(String, String)]) async throws {
            switch options.output {
            case .table:
                Printer.write(ServiceRenderer.list(list.items, namespace: namespace).render(style: options.printer.style))
            case .json, .yaml:
                for service in list.items {
                    let event = WatchEvent(
                        revision: list.revision, type: .added, objectType: .service, namespace: namespace,
                        kind: service.kind, name: service.metadata.name, object: service.json)
                    Printer.write(line(event))
                }
            }
            // Follow the stream; when it breaks (the server restarted, the network dropped),
            // resume from the last revision seen, giving up after a few failures in a row.
            var revision = list.revision
            var failures = 0
            while true {
                do {
                    for try await event in try await client.watch(from: revision, kind: kind) {
                        failures = 0
                        revision = max(revision, event.revision)
                        guard event.objectType == .service, matches(event.object, labels: labels) else { continue }
                        Printer.write(line(event))
                    }
                    failures += 1
                    if failures >= Self.maxWatchFailures {
                        throw StewardError(.unavailable, "the server closed the watch stream \(failures) times in a row")
                    }
                } catch let error as StewardError where error.code == .unavailable && failures + 1 < Self.maxWatchFailures {
                    failures += 1
                    Terminal.writeError("watch interrupted (\(error.message)); resuming after revision \(revision)\n")
                }
                try await Task.sleep(nanoseconds: UInt64(failures) * 500_000_000)
            }
        }

        /// How many times in a row the watch may break before `--watch` gives up.
        static let maxWatchFailures = 5

        private func line(_ event: WatchEvent) -> String {
            switch options.output {
            case .table: return ServiceRenderer.watchLine(event)
            case .json: return event.json.serialized() + "\n"
            case .yaml: return "---\n" + YAMLWriter.string(event.json)
            }
        }

        private func matches(_ object: JSON, labels: [(String, String)]) -> Bool {
            labels.allSatisfy { key, value in object["metadata"]?["labels"]?[key]?.stringValue == value }
        }
    }
}
