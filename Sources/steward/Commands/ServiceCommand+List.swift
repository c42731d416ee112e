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

                The list is read in pages of --chunk-size services (default 500) and printed as they come, so a long list needs little memory; every page reports the revision of the first, from which --watch follows.

                EXAMPLE:
                  steward service ls
                  steward service ls --kind ExecutorDeployment
                  steward service ls -l tier=web -l env=prod -o yaml
                  steward service ls --watch
                  steward service ls -o json --chunk-size 2000 > services.json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "Show only services of this kind.")
        var kind: String?

        @Option(name: [.customShort("l"), .customLong("label")], help: ArgumentHelp("Show only services with this label (repeatable).", valueName: "key=value"))
        var labels: [String] = []

        @Flag(help: "After listing, follow changes and print one line per event.")
        var watch = false

        @OptionGroup var paging: PagingOptions

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
            let namespace = client.configuration.namespace
            // Page by page: JSON and YAML go out as each page comes; a table needs all its rows
            // (only their text is kept).
            var revision: Int64 = 0
            var rows: [[String]] = []
            var stream = ListStreamPrinter(format: options.output)
            try await paging.forEachPage { limit, token in
                let page = try await client.services(kind: kind, labels: pairs, limit: limit, continue: token)
                revision = page.revision
                return (page.items, page.continueToken)
            } handle: { services in
                switch options.output {
                case .table:
                    rows += ServiceRenderer.rows(services)
                case .json, .yaml:
                    guard watch else { return stream.write(services.map(\.json)) }
                    for service in services {
                        let event = WatchEvent(
                            revision: revision, type: .added, objectType: .service, namespace: namespace,
                            kind: service.kind, name: service.metadata.name, object: service.json)
                        Printer.write(line(event))
                    }
                }
            }
            if options.output == .table {
                Printer.write(ServiceRenderer.list(rows: rows, namespace: namespace).render(style: options.printer.style))
            } else if !watch {
                stream.finish(["revision": .int(Int(revision))])
            }
            if watch { try await follow(client: client, from: revision, labels: pairs) }
        }

        /// Follows the event stream from `revision`; when it breaks (the server restarted, the
        /// network dropped), resumes from the last revision seen, giving up after a few
        /// failures in a row.
        private func follow(client: StewardClient, from listRevision: Int64, labels: [(String, String)]) async throws {
            var revision = listRevision
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
