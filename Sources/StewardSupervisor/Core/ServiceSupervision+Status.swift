import Foundation
import JSONSchema
import StewardCore

extension ServiceSupervision {
    /// The service's status as this node sees it: the seed's Deployment Status and Instances
    /// tables (`runningInstances`, `totalInstances`, `readyInstances`, `observedGeneration`,
    /// `lastUpdated`, a `Ready` condition, and one row per instance or waiting replica).
    public func status(node: String, now: Int64) -> JSON {
        var rows: [JSON] = []
        var running = 0
        var ready = 0
        let template = desired?.template
        let wantedCount = removing ? 0 : desired?.wantedReplicas ?? 0
        for index in Set(slots.keys).union(unschedulable.keys.filter { $0 < wantedCount }).sorted() {
            if slots[index]?.instances.isEmpty ?? true, let why = unschedulable[index] {
                // Placement keeps it off this node: shown, never dropped.
                var slot = slots[index] ?? ReplicaSlot(index: index)
                let parts = why.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                slot.reason = parts.first
                slot.message = parts.count > 1 ? parts[1] : nil
                rows.append(row(slot: slot, instance: nil, state: .notStarted, node: node))
                continue
            }
            guard let slot = slots[index] else { continue }
            if slot.instances.isEmpty {
                let state: InstanceState =
                    slot.ended?.state ?? (slot.backoffUntil.map { $0 > now } == true ? .backoff : .notStarted)
                rows.append(row(slot: slot, instance: nil, state: state, node: node))
            }
            for instance in slot.instances {
                if instance.state == .running { running += 1 }
                if instance.ready, instance.template == template { ready += 1 }
                rows.append(row(slot: slot, instance: instance, state: instance.state, node: node))
            }
        }
        let wanted = removing ? 0 : desired?.wantedReplicas ?? 0
        var status = JSONObject()
        status["observedGeneration"] = .int(desired?.generation ?? 0)
        status["runningInstances"] = .int(running)
        status["totalInstances"] = .int(wanted)
        status["readyInstances"] = .int(ready)
        status["lastUpdated"] = .string(Self.rfc3339(now))
        status["instances"] = .array(rows)
        status["conditions"] = .array([readyCondition(wanted: wanted, ready: ready, now: now)])
        return .object(status)
    }

    private func readyCondition(wanted: Int, ready: Int, now: Int64) -> JSON {
        let outdated = slots.values.contains { slot in slot.instances.contains { $0.template != desired?.template } }
        let isReady = ready == wanted && !outdated
        var reason = "AllReady"
        var message = "\(ready) of \(wanted) instances ready"
        if desired?.spec.enabled == false {
            reason = "Disabled"
            message = "enabled is false: no instance runs"
        } else if !isReady {
            if let (replica, why) = unschedulable.filter({ $0.key < wanted }).min(by: { $0.key < $1.key }) {
                reason = PlacementDecision.unschedulableReason
                message += "; \(name)-\(replica): \(why)"
            } else {
                let reasons = slots.keys.sorted().compactMap { slots[$0]!.instances.isEmpty || slots[$0]!.ended != nil ? slots[$0]!.reason : nil }
                reason = reasons.first ?? (outdated ? "RollingUpdate" : "Progressing")
                if let first = slots.keys.sorted().compactMap({ slots[$0]!.message }).first, reasons.first != nil {
                    message += "; \(name)-\(slots.keys.sorted().first { slots[$0]!.message == first }!): \(first)"
                }
            }
        }
        return .object([
            "type": .string(ServiceConditions.ready), "status": .string(isReady ? "True" : "False"),
            "reason": .string(reason), "message": .string(message), "lastTransitionTime": .string(Self.rfc3339(now)),
        ])
    }

    private func row(slot: ReplicaSlot, instance: SupervisedInstance?, state: InstanceState, node: String) -> JSON {
        var o = JSONObject()
        o["name"] = .string("\(name)-\(slot.index)")
        o["id"] = instance.map { .string($0.id) } ?? .null
        o["type"] = .string("process")
        o["node"] = .string(node)
        o["replica"] = .int(slot.index)
        o["pid"] = instance?.handle.map { .int(Int($0.pid)) } ?? .null
        if let port = instance?.port { o["port"] = .int(port) }
        o["state"] = .string(state.rawValue)
        let reason = instance?.stopReason ?? (instance == nil || state == .starting ? slot.reason : nil)
        o["reason"] = reason.map { .string($0) } ?? .null
        if instance == nil || state == .starting, let message = slot.message { o["message"] = .string(message) }
        o["ready"] = .bool(instance?.ready ?? false)
        o["restarts"] = .int(slot.restarts)
        if let exit = slot.lastExit {
            var e = JSONObject()
            switch exit {
            case .exited(let code): e["code"] = .int(Int(code))
            case .signaled(let signal):
                e["signal"] = .int(Int(signal))
                e["signalName"] = .string(SpecValues.signalName(signal))
            case .unknown: e["unknown"] = .bool(true)
            }
            if let reason = slot.lastTermination { e["reason"] = .string(reason) }
            if let at = slot.lastExitAt { e["at"] = .string(Self.rfc3339(at)) }
            o["lastExit"] = .object(e)
        } else {
            o["lastExit"] = .null
        }
        o["startedAt"] = instance.flatMap { $0.handle != nil ? .string(Self.rfc3339($0.startedAt)) : nil } ?? .null
        if let check = instance?.lastCheck {
            o["lastCheck"] = .object([
                "passed": .bool(check.passed), "message": .string(check.message), "at": .string(Self.rfc3339(check.at)),
            ])
        } else {
            o["lastCheck"] = .null
        }
        if state == .backoff, let until = slot.backoffUntil { o["nextRestartAt"] = .string(Self.rfc3339(until)) }
        return .object(o)
    }

    /// Unix milliseconds as RFC 3339 with milliseconds (`2026-12-03T16:00:00.250Z`).
    static func rfc3339(_ ms: Int64) -> String { Timestamp.rfc3339(milliseconds: ms) }
}
