import Foundation
import StewardCore

extension InstanceLogFiles {
    /// One instance chosen by a query, and whether it is its replica's current one.
    struct SelectedInstance: Equatable {
        var replica: Int
        var instanceID: String
        var isCurrent: Bool
    }

    /// Reads a service's logs as a stream of byte chunks.
    ///
    /// - `query.instance` nil: the current instance of every replica (with `previous`, the
    ///   previous one of every replica that has one); a replica name (`web-1`): its current (or
    ///   previous) instance; an instance id: that instance (or the one before it).
    /// - Several instances' lines are interleaved by time, each prefixed with its replica's
    ///   name as `docker compose logs` does (`web-1 | `); lines of one check interval keep the
    ///   replica order. One instance's bytes pass as they are (unless `timestamps`).
    /// - `tail` counts lines per instance, across its rotated files; rotated files are read
    ///   oldest first. `since` and `timestamps` use the time index (see ``LogIndex``): a line's
    ///   time is known to the rotator's check interval.
    /// - `follow` keeps reading the current instances' files as they grow (polled every 200 ms,
    ///   across copy-truncate rotations) until the consuming task is cancelled. A replica (by
    ///   name, or every replica) is followed across restarts: once its instance's file is read
    ///   to its end, a newer instance's log follows from its start. Replicas that appear later
    ///   are not added. While nothing is
    ///   written, an empty chunk comes every second (a consumer may skip it, or write it to find
    ///   out that its client is gone). A previous instance has ended: it is read, not followed.
    ///   A service without logs ends at once, followed or not.
    ///
    /// - Throws: ``StewardError`` `notFound` for an instance that has no logs (naming it and the
    ///   known ones) and for `previous` where there is no previous instance (naming the replica).
    public func read(namespace: String, service: String, query: LogQuery) throws(StewardError)
        -> AsyncThrowingStream<[UInt8], Error>
    {
        try Self.checkName(namespace, "namespace")
        try Self.checkName(service, "service")
        let selected = try select(namespace: namespace, service: service, query: query)
        let labels = selected.map { Self.replicaName(service: service, replica: $0.replica) }
        let width = labels.map(\.count).max() ?? 0
        let now = Date().millisecondsSince1970
        let cursors = zip(selected, labels).map { instance, label in
            let logPath = self.path(namespace: namespace, service: service, replica: instance.replica, instanceID: instance.instanceID)
            return InstanceLogCursor(
                path: logPath, rotated: rotatedFiles(of: logPath),
                label: selected.count > 1 ? label.padding(toLength: width, withPad: " ", startingAt: 0) + " | " : nil,
                query: query, follows: query.follow && instance.isCurrent,
                followsRestarts: !Self.isInstanceID(query.instance, service: service), now: now)
        }
        return LogReader(cursors: cursors, follows: cursors.contains { $0.follows }).stream()
    }

    /// Whether `name` (a query's `instance`) names one instance rather than a replica: a given
    /// instance is followed alone, a replica (or every replica) across its restarts.
    static func isInstanceID(_ name: String?, service: String) -> Bool {
        guard let name, name.hasPrefix(service + "-") else { return false }
        return name.dropFirst(service.count + 1).contains("-")
    }

    /// The instances a query reads, by replica.
    func select(namespace: String, service: String, query: LogQuery) throws(StewardError) -> [SelectedInstance] {
        let replicas = self.replicas(namespace: namespace, service: service)
        guard let wanted = query.instance else {
            let chosen = replicas.compactMap { replica, instances -> SelectedInstance? in
                if query.previous {
                    return instances.count >= 2 ? SelectedInstance(replica: replica, instanceID: instances[instances.count - 2], isCurrent: false) : nil
                }
                return SelectedInstance(replica: replica, instanceID: instances[instances.count - 1], isCurrent: true)
            }
            if query.previous, chosen.isEmpty, !replicas.isEmpty {
                let names = replicas.map { Self.replicaName(service: service, replica: $0.replica) }
                throw .notFound(
                    names.count == 1
                        ? "\(names[0]) has no previous instance"
                        : "no replica of service '\(service)' has a previous instance (\(names.joined(separator: ", ")))")
            }
            return chosen
        }
        for (replica, instances) in replicas {
            let name = Self.replicaName(service: service, replica: replica)
            if wanted == name {
                if query.previous {
                    guard instances.count >= 2 else { throw .notFound("\(name) has no previous instance") }
                    return [SelectedInstance(replica: replica, instanceID: instances[instances.count - 2], isCurrent: false)]
                }
                return [SelectedInstance(replica: replica, instanceID: instances[instances.count - 1], isCurrent: true)]
            }
            if let position = instances.firstIndex(of: wanted) {
                if query.previous {
                    guard position > 0 else {
                        throw .notFound("\(wanted) has no previous instance (it is the oldest of \(name) whose logs are kept)")
                    }
                    return [SelectedInstance(replica: replica, instanceID: instances[position - 1], isCurrent: false)]
                }
                return [SelectedInstance(replica: replica, instanceID: wanted, isCurrent: position == instances.count - 1)]
            }
        }
        guard !replicas.isEmpty else {
            throw .notFound("service '\(service)' has no instance '\(wanted)': it has no logs yet")
        }
        let known = replicas.map { replica, instances in
            "\(Self.replicaName(service: service, replica: replica)) (\(instances.reversed().joined(separator: ", ")))"
        }
        throw .notFound(
            "service '\(service)' has no instance '\(wanted)'; give a replica or an instance id: \(known.joined(separator: "; "))")
    }
}
