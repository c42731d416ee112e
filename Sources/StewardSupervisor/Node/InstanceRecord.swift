import Foundation

/// What the supervisor writes to disk for each instance it started, so that after a restart
/// (graceful or `kill -9`) it finds the instance again and adopts it, or knows it ended.
public struct InstanceRecord: Codable, Sendable, Hashable {
    public var namespace: String
    public var service: String
    public var replica: Int
    public var template: String
    public var generation: Int
    public var handle: InstanceHandle
    public var port: Int?
    /// Unix milliseconds.
    public var startedAt: Int64
    public var restarts: Int
    public var memoryLimit: Int64?
}

/// The instance records of one node: one small JSON file per live instance under
/// `<home>/instances/<namespace>/<service>/<instance id>.json`, written when the instance is
/// spawned and removed when it ends.
public struct InstanceRecordStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    private func path(_ r: InstanceRecord) -> String {
        "\(directory)/\(r.namespace)/\(r.service)/\(r.handle.instanceID).json"
    }

    /// Writes `record` (atomically: a reader never sees half a file).
    public func save(_ record: InstanceRecord) throws {
        let file = path(record)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    public func delete(namespace: String, service: String, instanceID: String) {
        let dir = "\(directory)/\(namespace)/\(service)"
        try? FileManager.default.removeItem(atPath: "\(dir)/\(instanceID).json")
        // The service's directory goes with its last record.
        if (try? FileManager.default.contentsOfDirectory(atPath: dir))?.isEmpty == true {
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// Every record on disk; unreadable files are skipped (and reported through `onError`).
    public func loadAll(onError: (String, Error) -> Void = { _, _ in }) -> [InstanceRecord] {
        let fm = FileManager.default
        var records: [InstanceRecord] = []
        for namespace in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] {
            for service in (try? fm.contentsOfDirectory(atPath: "\(directory)/\(namespace)")) ?? [] {
                let dir = "\(directory)/\(namespace)/\(service)"
                for file in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where file.hasSuffix(".json") {
                    do {
                        let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(file)"))
                        records.append(try JSONDecoder().decode(InstanceRecord.self, from: data))
                    } catch {
                        onError("\(dir)/\(file)", error)
                    }
                }
            }
        }
        return records
    }
}
