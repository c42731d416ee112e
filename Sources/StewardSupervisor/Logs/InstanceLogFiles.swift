import Foundation
import StewardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The log files of the instances on this node: where they are, their rotation, their time
/// index, their pruning, and reading them (``read(namespace:service:query:)``).
///
/// Layout under ``root`` (`<STEWARD_HOME>/logs`), one file per instance that receives both its
/// stdout and its stderr, appended by the instance itself (no pipe, so that instances outlive
/// a restart of the supervisor):
///
/// ```
/// <root>/<namespace>/<service>/<replica>/<instanceID>.log        the current file
/// <root>/<namespace>/<service>/<replica>/<instanceID>.log.1      the newest rotated file
/// <root>/<namespace>/<service>/<replica>/<instanceID>.log.<n>    … up to maxFiles
/// <root>/<namespace>/<service>/<replica>/<instanceID>.log.idx    the time index of .log
/// <root>/<namespace>/<service>/<replica>/<instanceID>.log.<n>.idx the time index of .log.<n>
/// ```
///
/// `replica` is the 0-based replica index; the instance id is `<service>-<replica>-<suffix>`,
/// the suffix being 12 lowercase hex digits of the start time in milliseconds since 1970
/// (``instanceID(service:replica:startedAt:)``), so the lexical order of a replica's instance
/// ids is their start order: the newest is the replica's current instance.
///
/// Rotation is copy-truncate (as logrotate's `copytruncate`): the instance keeps writing to its
/// `O_APPEND` descriptor, so the file is copied to `.1` and then cut to zero bytes, and the
/// instance's next write lands at the start of the emptied file. Bytes written between the end
/// of the copy and the cut are lost, and a reader that lists the files during a rotation may
/// see a few lines in both `.1` and the current file.
public struct InstanceLogFiles: Sendable {
    /// The directory of all logs (`<STEWARD_HOME>/logs`).
    public let root: String
    /// A file of at least this many bytes is rotated by the next check.
    public let maxFileSize: Int64
    /// How many rotated files an instance keeps (`.log.1` … `.log.<maxFiles>`), besides its
    /// current `.log`; older ones are deleted when a rotation would make more.
    public let maxFiles: Int
    /// How many instances of each replica keep their logs (the newest; see
    /// ``prune(namespace:service:replica:)``).
    public let keepInstancesPerReplica: Int

    /// - Parameters:
    ///   - root: the directory of all logs, `<STEWARD_HOME>/logs`.
    ///   - maxFileSize: the size (bytes, more than zero) at which a file is rotated; 10 MiB.
    ///   - maxFiles: rotated files kept per instance (at least one); 3.
    ///   - keepInstancesPerReplica: instances per replica whose logs are kept (at least two,
    ///     so that the previous instance's log stays readable); 5.
    public init(root: String, maxFileSize: Int64 = 10 << 20, maxFiles: Int = 3, keepInstancesPerReplica: Int = 5) {
        precondition(maxFileSize > 0, "maxFileSize must be more than zero")
        precondition(maxFiles >= 1, "maxFiles must be at least 1")
        precondition(keepInstancesPerReplica >= 2, "keepInstancesPerReplica must be at least 2 (the current and the previous instance)")
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.maxFileSize = maxFileSize
        self.maxFiles = maxFiles
        self.keepInstancesPerReplica = keepInstancesPerReplica
    }

    // MARK: Layout

    /// The id of an instance of `service`'s replica `replica` started at `startedAt`:
    /// `<service>-<replica>-<12 lowercase hex digits of the start in milliseconds since 1970>`.
    public static func instanceID(service: String, replica: Int, startedAt: Date) -> String {
        let milliseconds = max(0, startedAt.millisecondsSince1970)
        let hex = String(milliseconds, radix: 16)
        return "\(service)-\(replica)-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    /// The name of a replica as logs show it: `<service>-<replica>` (`web-1`).
    public static func replicaName(service: String, replica: Int) -> String { "\(service)-\(replica)" }

    /// The directory of a service's logs.
    public func directory(namespace: String, service: String) -> String {
        "\(root)/\(namespace)/\(service)"
    }

    /// The directory of one replica's logs.
    public func directory(namespace: String, service: String, replica: Int) -> String {
        "\(directory(namespace: namespace, service: service))/\(replica)"
    }

    /// The current log file of an instance (creates nothing; see ``createDirectory(namespace:service:replica:)``).
    public func path(namespace: String, service: String, replica: Int, instanceID: String) -> String {
        "\(directory(namespace: namespace, service: service, replica: replica))/\(instanceID).log"
    }

    /// Creates the directory of a replica's logs (0750, with its parents) when it is missing.
    public func createDirectory(namespace: String, service: String, replica: Int) throws(StewardError) {
        let path = directory(namespace: namespace, service: service, replica: replica)
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw StewardError(.internal, "cannot create the log directory \(path): \(error.localizedDescription)")
        }
    }

    /// Refuses a namespace or service name that is not one directory name (empty, `.`, `..`,
    /// or with a `/` or a NUL), so that no path leaves the root.
    static func checkName(_ name: String, _ what: String) throws(StewardError) {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
            throw .invalidInput("'\(name)' is not a \(what) name the logs can be kept under")
        }
    }

    /// The instance id a file of the layout belongs to (`web-1-….log`, `.log.2`, `.log.idx`,
    /// `.log.2.idx`); nil for other names.
    static func instanceID(ofFile name: String) -> String? {
        guard let range = name.range(of: ".log"), range.lowerBound > name.startIndex else { return nil }
        let rest = name[range.upperBound...]
        guard rest.isEmpty || rest.hasPrefix(".") else { return nil }
        return String(name[..<range.lowerBound])
    }

    /// The rotated files of the instance whose current file is `path`, oldest first
    /// (`.log.3`, `.log.2`, `.log.1`).
    func rotatedFiles(of path: String) -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent + "."
        let numbers = LogFileIO.names(in: directory).compactMap { name -> Int? in
            guard name.hasPrefix(base) else { return nil }
            let suffix = name.dropFirst(base.count)
            guard !suffix.isEmpty, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber) else { return nil }
            return Int(suffix)
        }
        return numbers.sorted(by: >).map { "\(path).\($0)" }
    }

    /// The instance ids of a replica that have logs, oldest first.
    func instanceIDs(namespace: String, service: String, replica: Int) -> [String] {
        let names = LogFileIO.names(in: directory(namespace: namespace, service: service, replica: replica))
        return Set(names.compactMap(Self.instanceID(ofFile:))).sorted()
    }

    /// The replicas of a service that have logs, by replica index, each with its instance ids
    /// oldest first.
    func replicas(namespace: String, service: String) -> [(replica: Int, instances: [String])] {
        LogFileIO.names(in: directory(namespace: namespace, service: service))
            .compactMap { name in name.allSatisfy(\.isASCII) && name.allSatisfy(\.isNumber) ? Int(name) : nil }
            .sorted()
            .map { ($0, instanceIDs(namespace: namespace, service: service, replica: $0)) }
            .filter { !$0.instances.isEmpty }
    }

    // MARK: Rotation and the time index

    /// Rotates the log file at `path` when it has reached ``maxFileSize``: shifts `.1` to `.2`
    /// and so on (deleting the one beyond ``maxFiles``), copies the file to `.1`, then cuts it
    /// to zero bytes (copy-truncate: the instance keeps its descriptor, see the type's notes).
    /// The time index moves with the file. Returns whether it rotated; a missing file does not.
    @discardableResult
    public func rotateIfNeeded(path: String) throws(StewardError) -> Bool {
        try rotateIfNeeded(path: path, now: Date())
    }

    func rotateIfNeeded(path: String, now: Date) throws(StewardError) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return false }
            throw LogFileIO.failure("open", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LogFileIO.failure("stat", path) }
        guard Int64(info.st_size) >= maxFileSize else { return false }

        // Make room: .log.<maxFiles> goes, each other one moves up by one.
        try LogFileIO.remove("\(path).\(maxFiles)")
        try LogFileIO.remove(LogIndex.path(of: "\(path).\(maxFiles)"))
        for number in stride(from: maxFiles - 1, through: 1, by: -1) {
            try LogFileIO.move("\(path).\(number)", to: "\(path).\(number + 1)")
            try LogFileIO.move(LogIndex.path(of: "\(path).\(number)"), to: LogIndex.path(of: "\(path).\(number + 1)"))
        }
        for name in LogFileIO.names(in: (path as NSString).deletingLastPathComponent) {
            // Files beyond maxFiles left by a run with a larger setting.
            let base = (path as NSString).lastPathComponent + "."
            if name.hasPrefix(base), let number = Int(name.dropFirst(base.count).prefix { $0.isNumber }), number > maxFiles {
                try LogFileIO.remove(((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name))
            }
        }

        // Copy, then cut. The copy goes to a temporary name first, so that `.1` is whole
        // whenever it exists.
        let rotated = "\(path).1"
        let temporary = rotated + ".tmp"
        let copied: Int64
        do {
            copied = try LogFileIO.copy(fd: fd, sourcePath: path, to: temporary)
        } catch {
            try? LogFileIO.remove(temporary)
            throw error
        }
        var index = LogIndex.load(logPath: path)
        index.records.removeAll { $0.offset > copied }
        index.add(.init(offset: copied, milliseconds: now.millisecondsSince1970))
        try LogFileIO.replace(LogIndex.path(of: rotated), with: index.bytes)
        try LogFileIO.move(temporary, to: rotated)
        guard ftruncate(fd, 0) == 0 else { throw LogFileIO.failure("truncate", path) }
        try LogFileIO.truncateToZero(LogIndex.path(of: path))
        return true
    }

    /// One check of the log file at `path`, as the ``LogRotator`` runs it: when the file grew
    /// past `indexedSize` (the size its time index reaches; nil: read it from the index), appends
    /// a record `(size, now)` to the index, then rotates the file when it is too big.
    ///
    /// - Returns: the size the index now reaches (0 after a rotation), to pass to the next
    ///   check; nil when the file does not exist.
    public func check(path: String, indexedSize: Int64?, now: Date = Date()) throws(StewardError) -> Int64? {
        guard let status = LogFileIO.status(path) else { return nil }
        var indexed = indexedSize ?? LogIndex.load(logPath: path).records.last?.offset ?? 0
        if status.size < indexed {
            // Cut by someone else: the records describe bytes that are gone.
            try LogFileIO.truncateToZero(LogIndex.path(of: path))
            indexed = 0
        }
        if status.size > indexed {
            try LogIndex.append(.init(offset: status.size, milliseconds: now.millisecondsSince1970), toLog: path)
            indexed = status.size
        }
        if try rotateIfNeeded(path: path, now: now) { indexed = 0 }
        return indexed
    }

    // MARK: Removal

    /// Deletes the logs of a replica's instances beyond the newest ``keepInstancesPerReplica``
    /// (all their files: current, rotated and indexes). Returns the instance ids removed.
    @discardableResult
    public func prune(namespace: String, service: String, replica: Int) throws(StewardError) -> [String] {
        try Self.checkName(namespace, "namespace")
        try Self.checkName(service, "service")
        let directory = self.directory(namespace: namespace, service: service, replica: replica)
        let ids = instanceIDs(namespace: namespace, service: service, replica: replica)
        guard ids.count > keepInstancesPerReplica else { return [] }
        let removed = Set(ids.dropLast(keepInstancesPerReplica))
        for name in LogFileIO.names(in: directory) {
            if let id = Self.instanceID(ofFile: name), removed.contains(id) {
                try LogFileIO.remove("\(directory)/\(name)")
            }
        }
        return removed.sorted()
    }

    /// Deletes all the logs of a service (when it is removed). A service without logs is not
    /// an error.
    public func removeAll(namespace: String, service: String) throws(StewardError) {
        try Self.checkName(namespace, "namespace")
        try Self.checkName(service, "service")
        let path = directory(namespace: namespace, service: service)
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw StewardError(.internal, "cannot remove the logs \(path): \(error.localizedDescription)")
        }
    }
}
