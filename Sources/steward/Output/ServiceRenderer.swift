import JSONSchema
import StewardClient
import StewardCore

/// The tables and lines that show services.
enum ServiceRenderer {
    /// The `service ls` table of rows made by ``rows(_:)``.
    static func list(rows: [[String]], namespace: String) -> Table {
        Table(
            title: "Services in \(namespace)", headers: ["NAME", "KIND", "GENERATION", "INSTANCES", "LABELS", "CREATED"],
            rows: rows)
    }

    /// The rows of the `service ls` table.
    static func rows(_ services: [Service]) -> [[String]] {
        services.map { service in
            [
                service.metadata.name, service.kind, String(service.metadata.generation), instances(service.status),
                DisplayText.labels(service.metadata.labels), service.metadata.createdAt?.rfc3339 ?? "-",
            ]
        }
    }

    /// `running/total` from the status, or `-` before a reconciler reported.
    static func instances(_ status: JSON) -> String {
        guard let total = status["totalInstances"] else { return "-" }
        return DisplayText.cell(status["runningInstances"]) + "/" + DisplayText.cell(total)
    }

    /// The `service get` tables: metadata, spec, deployment status and instances.
    static func detail(_ service: Service) -> [Table] {
        let metadata = service.metadata
        var pairs: [(String, String)] = [
            ("Name", metadata.name),
            ("ID", metadata.uid.isEmpty ? "-" : metadata.uid),
            ("Kind", service.kind),
            ("Namespace", metadata.namespace),
            ("Generation", String(metadata.generation)),
            ("Resource Version", metadata.resourceVersion ?? "-"),
            ("Labels", DisplayText.labels(metadata.labels)),
            ("Annotations", DisplayText.labels(metadata.annotations)),
            ("Created", metadata.createdAt?.rfc3339 ?? "-"),
            ("Updated", metadata.updatedAt?.rfc3339 ?? "-"),
        ]
        if !metadata.finalizers.isEmpty { pairs.append(("Finalizers", metadata.finalizers.joined(separator: ","))) }
        if let deletion = metadata.deletionTimestamp { pairs.append(("Deleting Since", deletion.rfc3339)) }

        let status = service.status
        var statusPairs: [(String, String)] = [
            ("Running Instances", DisplayText.cell(status["runningInstances"])),
            ("Total Instances", DisplayText.cell(status["totalInstances"])),
            ("Last Updated", DisplayText.cell(status["lastUpdated"])),
        ]
        if let observed = status["observedGeneration"] {
            statusPairs.append(("Observed Generation", DisplayText.cell(observed)))
        }
        return [
            .keyValue(title: "Service", pairs),
            .keyValue(title: "Spec", DisplayText.flatten(service.spec)),
            .keyValue(title: "Deployment Status", statusPairs),
            instancesTable(status),
        ]
    }

    /// The Instances table from `status.instances`; header only while there are none.
    static func instancesTable(_ status: JSON) -> Table {
        let instances = status["instances"]?.arrayValue ?? []
        return Table(
            title: instances.isEmpty ? "Instances (none reported yet)" : "Instances",
            headers: ["NAME", "ID", "TYPE", "STATE", "IMAGE", "LAST CHECK"],
            rows: instances.map { instance in
                [
                    DisplayText.cell(instance["name"]),
                    instance["id"]?.stringValue.map { DisplayText.shortID($0) } ?? DisplayText.cell(instance["id"]),
                    DisplayText.cell(instance["type"]),
                    DisplayText.cell(instance["state"]),
                    DisplayText.cell(instance["image"]),
                    instance["lastCheck"]?.stringValue.map(DisplayText.timeOfDay) ?? DisplayText.cell(instance["lastCheck"]),
                ]
            })
    }

    /// The `service history` table, newest first.
    static func history(_ entries: [HistoryEntry], name: String) -> Table {
        Table(
            title: "History of \(name)",
            headers: ["GENERATION", "CHANGE", "BY", "AT", "SPEC"],
            rows: entries.map { entry in
                [
                    String(entry.generation), entry.changeType.rawValue, DisplayText.shortID(entry.by), entry.at.rfc3339,
                    entry.spec.serialized(),
                ]
            })
    }

    /// One line per watch event: `<revision> <TYPE> <objectType>/<name> kind=<kind> generation=<n>`.
    static func watchLine(_ event: WatchEvent) -> String {
        var line = "\(event.revision) \(event.type.rawValue) \(event.objectType.rawValue)/\(event.name)"
        if !event.kind.isEmpty { line += " kind=\(event.kind)" }
        if let generation = event.object["metadata"]?["generation"]?.intValue { line += " generation=\(generation)" }
        return line + "\n"
    }
}
