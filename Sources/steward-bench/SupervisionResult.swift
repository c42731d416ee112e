import Foundation

/// What `steward-bench supervise` measured for one supervisor.
struct SupervisionResult: Sendable {
    var kind: SupervisorKind
    /// Submit → the last of the first phase's instances running, in ms.
    var startAll: Double?
    /// Submit → the first instance running, in ms.
    var startFirst: Double?
    /// SIGKILL of an instance → its replacement's beacon, per crash.
    var crash: LatencyStats?
    /// Submit → the last of the idle phase's instances running, in ms.
    var startIdle: Double?
    /// CPU seconds of the supervising processes over the idle window.
    var idleCPU: Double?
    /// Summed VmRSS of the supervising processes at the end of the idle window, in bytes.
    var idleResident: Int64?
    /// The highest summed VmRSS sampled (once a second) during the idle window, in bytes.
    var idlePeakResident: Int64?
    /// Summed Pss (shared pages divided among their users) at the end of the idle window, in bytes.
    var idleProportional: Int64?
    /// The number of supervising processes weighed (s6: one s6-supervise per instance, plus s6-svscan).
    var idleProcesses: Int?
    /// Instances started during the idle window (restarts: should be none).
    var idleRestarts: Int?
    /// What failed, when the peer could not be measured to the end.
    var failure: String?
}

extension SupervisionResult {
    /// The side-by-side table: one column per peer, then Steward's ratio to each other peer, then
    /// the targets.
    static func report(
        _ results: [SupervisionResult], instances: Int, crashes: Int, idleInstances: Int, idleSeconds: Int
    ) -> String {
        func number(_ value: Double?, _ digits: Int = 1) -> String {
            value.map { String(format: "%.\(digits)f", $0) } ?? "-"
        }
        func mebibytes(_ bytes: Int64?) -> Double? { bytes.map { Double($0) / 1_048_576 } }
        let steward = results.first { $0.kind == .steward }
        let others = results.filter { $0.kind != .steward }

        struct Row {
            var label: String
            var value: (SupervisionResult) -> Double?
            var digits: Int
        }
        let rows: [Row] = [
            Row(label: "start \(instances): submit → first running (ms)", value: { $0.startFirst }, digits: 1),
            Row(label: "start \(instances): submit → all running (ms)", value: { $0.startAll }, digits: 1),
            Row(label: "crash → replacement running, p50 (ms)", value: { $0.crash?.p50 }, digits: 2),
            Row(label: "crash → replacement running, p99 (ms)", value: { $0.crash?.p99 }, digits: 2),
            Row(label: "crash → replacement running, max (ms)", value: { $0.crash.flatMap { $0.sorted.last.map { Double($0) / 1e6 } } }, digits: 2),
            Row(label: "start \(idleInstances): submit → all running (ms)", value: { $0.startIdle }, digits: 1),
            Row(label: "idle \(idleInstances): CPU over \(idleSeconds) s (ms)", value: { $0.idleCPU.map { $0 * 1000 } }, digits: 0),
            Row(label: "idle \(idleInstances): CPU (% of one core)", value: { $0.idleCPU.map { $0 * 100 / Double(idleSeconds) } }, digits: 3),
            Row(label: "idle \(idleInstances): resident memory VmRSS at end (MiB)", value: { mebibytes($0.idleResident) }, digits: 1),
            Row(label: "idle \(idleInstances): resident memory VmRSS, peak (MiB)", value: { mebibytes($0.idlePeakResident) }, digits: 1),
            Row(label: "idle \(idleInstances): proportional set size, Pss (MiB)", value: { mebibytes($0.idleProportional) }, digits: 1),
        ]
        var header = ["measurement"] + results.map(\.kind.rawValue)
        if steward != nil { header += others.map { "steward / \($0.kind.rawValue)" } }
        var lines = [header]
        for row in rows {
            var line = [row.label] + results.map { number(row.value($0), row.digits) }
            if let steward {
                line += others.map { other in
                    guard let mine = row.value(steward), let theirs = row.value(other), theirs > 0 else { return "-" }
                    return String(format: "%.2fx", mine / theirs)
                }
            }
            lines.append(line)
        }
        let widths = (0..<header.count).map { column in lines.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for (index, line) in lines.enumerated() {
            text += line.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
            if index == 0 { text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        text += "\n"
        for result in results {
            text += "\(result.kind.rawValue): CPU and memory of \(result.kind.accounting)"
            if let count = result.idleProcesses { text += " (\(count) process\(count == 1 ? "" : "es"))" }
            if let restarts = result.idleRestarts, restarts > 0 { text += "; \(restarts) instance(s) restarted during the idle window" }
            if let crash = result.crash { text += "; \(crash.count) crashes" }
            text += "\n"
            if let failure = result.failure { text += "  FAILED: \(failure)\n" }
        }

        guard let steward else { return text }
        func verdict(_ met: Bool?) -> String { met.map { $0 ? "met" : "NOT met" } ?? "not measured" }
        let s6 = results.first { $0.kind == .s6 }
        let supervisord = results.first { $0.kind == .supervisord }
        text += "\ntargets:\n"
        let p50 = steward.crash?.p50
        let s6p50 = s6?.crash?.p50
        let crashMet: Bool? = p50.map { mine in mine < 10 && (s6p50.map { mine <= $0 } ?? true) }
        text += "  crash → replacement p50 < 10 ms and no slower than s6: \(number(p50, 2)) ms vs s6 \(number(s6p50, 2)) ms — \(verdict(crashMet))\n"
        let startMine = steward.startAll, startTheirs = supervisord?.startAll
        let startMet: Bool? = startMine.flatMap { mine in startTheirs.map { mine < $0 / 2 } }
        text += "  start \(instances) < half of supervisord's: \(number(startMine)) ms vs supervisord \(number(startTheirs)) ms — \(verdict(startMet))\n"
        let cpuMine = steward.idleCPU, cpuTheirs = supervisord?.idleCPU
        let cpuMet: Bool? = cpuMine.flatMap { mine in cpuTheirs.map { mine < $0 } }
        text += "  idle \(idleInstances) CPU below supervisord's: \(number(cpuMine.map { $0 * 1000 }, 0)) ms vs \(number(cpuTheirs.map { $0 * 1000 }, 0)) ms — \(verdict(cpuMet))\n"
        let memoryMine = steward.idleResident, memoryTheirs = supervisord?.idleResident
        let memoryMet: Bool? = memoryMine.flatMap { mine in memoryTheirs.map { mine < $0 } }
        text += "  idle \(idleInstances) memory below supervisord's: \(number(mebibytes(memoryMine))) MiB vs \(number(mebibytes(memoryTheirs))) MiB — \(verdict(memoryMet))\n"
        return text
    }
}
