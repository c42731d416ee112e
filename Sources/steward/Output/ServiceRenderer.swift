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
        ]
        if let ready = status["readyInstances"] { statusPairs.append(("Ready Instances", DisplayText.cell(ready))) }
        if let condition = status["conditions"]?.arrayValue?.first(where: { $0["type"]?.stringValue == "Ready" }) {
            let reason = condition["reason"]?.stringValue.map { " (\($0))" } ?? ""
            let message = condition["message"]?.stringValue.flatMap { $0.isEmpty ? nil : ": \($0)" } ?? ""
            statusPairs.append(("Ready", DisplayText.cell(condition["status"]) + reason + message))
        }
        statusPairs.append(("Last Updated", DisplayText.cell(status["lastUpdated"])))
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

    /// The Instances table from `status.instances` (the seed's columns, and those a reconciler
    /// reports beyond them); the seed's header alone while there are none.
    static func instancesTable(_ status: JSON) -> Table {
        let instances = status["instances"]?.arrayValue ?? []
        // Columns with a value in some row; NAME, STATE and READY always.
        let columns: [(header: String, cell: (JSON) -> String?)] = [
            ("NAME", { $0["name"]?.stringValue }),
            ("ID", { $0["id"]?.stringValue }),
            ("TYPE", { $0["type"]?.stringValue }),
            ("NODE", { $0["node"]?.stringValue }),
            ("PID", { $0["pid"]?.intValue.map(String.init) }),
            ("PORT", { $0["port"]?.intValue.map(String.init) }),
            ("STATE", { $0["state"]?.stringValue }),
            ("IMAGE", { $0["image"]?.stringValue }),
            ("READY", { $0["ready"]?.boolValue.map { $0 ? "yes" : "no" } }),
            ("RESTARTS", { $0["restarts"]?.intValue.map(String.init) }),
            ("LAST EXIT", { instance in instance["lastExit"].flatMap(Self.exitText) }),
            ("STARTED", { $0["startedAt"]?.stringValue.map(DisplayText.timeOfDay) }),
            ("REASON", { instance in
                guard let reason = instance["reason"]?.stringValue else { return nil }
                if let message = instance["message"]?.stringValue { return "\(reason): \(message)" }
                if let next = instance["nextRestartAt"]?.stringValue { return "\(reason) (next try \(DisplayText.timeOfDay(next)))" }
                return reason
            }),
            ("LAST CHECK", { instance in
                if let text = instance["lastCheck"]?.stringValue { return DisplayText.timeOfDay(text) }
                guard let check = instance["lastCheck"], case .object = check else { return nil }
                let verdict = check["passed"]?.boolValue == true ? "pass" : "fail"
                return "\(verdict) \(check["message"]?.stringValue ?? "")".trimmingCharacters(in: .whitespaces)
            }),
        ]
        // With no instances yet, the seed's own columns; after that, those some row has a value in.
        let seedColumns: Set<String> = ["NAME", "ID", "TYPE", "STATE", "IMAGE", "LAST CHECK"]
        let always: Set<String> = ["NAME", "STATE"]
        let shown = columns.filter { column in
            instances.isEmpty
                ? seedColumns.contains(column.header)
                : always.contains(column.header) || instances.contains { column.cell($0) != nil }
        }
        return Table(
            title: instances.isEmpty ? "Instances (none reported yet)" : "Instances",
            headers: shown.map(\.header),
            rows: instances.map { instance in shown.map { $0.cell(instance) ?? "-" } })
    }

    /// `1`, `signal 9 (KILL)`, with the reason when there is one: `signal 9 (KILL) OOMKilled`.
    static func exitText(_ exit: JSON) -> String? {
        guard case .object = exit else { return nil }
        var text: String
        if let code = exit["code"]?.intValue {
            text = "\(code)"
        } else if let signal = exit["signal"]?.intValue {
            text = "signal \(signal)" + (exit["signalName"]?.stringValue.map { " (\($0))" } ?? "")
        } else {
            text = "unknown"
        }
        if let reason = exit["reason"]?.stringValue { text += " \(reason)" }
        return text
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
