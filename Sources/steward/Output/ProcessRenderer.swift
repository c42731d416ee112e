import JSONSchema
import StewardClient
import StewardCore

/// The tables that show executors, processes and a service's latest reconciliation.
enum ProcessRenderer {
    static func time(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        return Timestamp(secondsSince1970: ms / 1000).rfc3339
    }

    /// The `executor ls` table.
    static func executors(_ executors: [Executor]) -> Table {
        Table(
            title: "Executors",
            headers: ["NAME", "TYPE", "NODE", "IDENTITY", "REGISTERED", "LAST HEARTBEAT"],
            rows: executors.map { e in
                [
                    e.name, e.executorType, e.node.isEmpty ? "-" : e.node, DisplayText.shortID(e.identity),
                    time(e.registeredAtMS), time(e.lastHeartbeatAtMS),
                ]
            })
    }

    /// The fewest characters of a process id `process ls` shows.
    static let minimumIDLength = 8

    /// The `process ls` table. Ids are shown by their first `idLength` characters (at least
    /// ``minimumIDLength``): the length at which each is unique, from the server.
    static func list(_ processes: [ReconciliationProcess], idLength: Int) -> Table {
        let length = max(idLength, minimumIDLength)
        return Table(
            title: "Processes",
            headers: ["ID", "SERVICE", "ACTION", "STATE", "ATTEMPT", "EXECUTOR", "CREATED", "ERROR"],
            rows: processes.map { p in
                [
                    DisplayText.shortID(p.id, length: length), p.serviceName, p.reconciliation.action.rawValue, p.state.rawValue,
                    String(p.attempt), p.executorName ?? "-", time(p.createdAtMS), p.error ?? "-",
                ]
            })
    }

    /// The `process get` tables.
    static func detail(_ p: ReconciliationProcess) -> [Table] {
        let pairs: [(String, String)] = [
            ("ID", p.id),
            ("Service", "\(p.serviceName) (\(p.serviceKind))"),
            ("Executor Type", p.executorType),
            ("Function", p.funcName),
            ("Action", p.reconciliation.action.rawValue),
            ("State", p.state.rawValue),
            ("Attempt", String(p.attempt)),
            ("Executor", p.executorName ?? "-"),
            ("Lease Expires", time(p.leaseExpiresAtMS)),
            ("Not Before", p.notBeforeMS > p.createdAtMS ? time(p.notBeforeMS) : "-"),
            ("Error", p.error ?? "-"),
            ("Created", time(p.createdAtMS)),
            ("Assigned", time(p.assignedAtMS)),
            ("Closed", time(p.closedAtMS)),
        ]
        var tables: [Table] = [.keyValue(title: "Process", pairs)]
        if let old = p.reconciliation.old?["spec"] {
            tables.append(.keyValue(title: "Old Spec", DisplayText.flatten(old)))
        }
        if let new = p.reconciliation.new?["spec"] {
            tables.append(.keyValue(title: "New Spec", DisplayText.flatten(new)))
        }
        return tables
    }

    /// The `Reconciliation` table of `service get`, from the server's summary.
    static func summary(_ summary: JSON) -> Table? {
        guard let latest = summary["latest"], !latest.isNull else { return nil }
        var pairs: [(String, String)] = [
            ("Latest Process", DisplayText.cell(latest["id"])),
            ("Action", DisplayText.cell(latest["functionSpec"]?["reconciliation"]?["action"])),
            ("State", DisplayText.cell(latest["state"])),
            ("Attempt", DisplayText.cell(latest["attempt"])),
            ("Executor", DisplayText.cell(latest["executor"])),
            ("Last Result", DisplayText.cell(summary["lastResult"])),
            ("Last Closed", DisplayText.cell(summary["lastClosedAt"])),
        ]
        if let failures = summary["failures"]?.intValue, failures > 0 {
            pairs.append(("Failures In A Row", String(failures)))
        }
        if let error = summary["lastError"], !error.isNull { pairs.append(("Last Error", DisplayText.cell(error))) }
        return .keyValue(title: "Reconciliation", pairs)
    }
}
