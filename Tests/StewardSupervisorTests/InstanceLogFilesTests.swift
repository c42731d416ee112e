import Foundation
import StewardCore
import Testing

@testable import StewardSupervisor

/// The instance log files with real files: layout, rotation, pruning, reading, the time index
/// and following.
@Suite("Instance log files")
struct InstanceLogFilesTests {
    @Test("the layout: <root>/<ns>/<service>/<replica>/<id>.log, ids of 12 hex digits of the start in ms")
    func layout() throws {
        let files = InstanceLogFiles(root: "/var/lib/steward/logs/")
        let id = InstanceLogFiles.instanceID(service: "web", replica: 1, startedAt: Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(id == "web-1-018bcfe569f4")
        #expect(files.path(namespace: "default", service: "web", replica: 1, instanceID: id) == "/var/lib/steward/logs/default/web/1/web-1-018bcfe569f4.log")
        #expect(!FileManager.default.fileExists(atPath: "/var/lib/steward/logs/default/web"))
        let earlier = InstanceLogFiles.instanceID(service: "web", replica: 1, startedAt: Date(timeIntervalSince1970: 999_999_999))
        #expect(earlier < id)
        #expect(InstanceLogFiles.instanceID(ofFile: "web-1-018bcfe56a7b.log.2.idx") == "web-1-018bcfe56a7b")
        #expect(InstanceLogFiles.instanceID(ofFile: "web-1-018bcfe56a7b.logx") == nil)
    }

    @Test("rotation keeps maxFiles rotated files with the newest bytes, and empties the current file")
    func rotation() async throws {
        let root = try LogRoot(maxFileSize: 100, maxFiles: 2)
        defer { root.remove() }
        let id = LogRoot.id(0, secondsAgo: 10)
        let path = try root.write("", replica: 0, id: id)
        let writer = AppendingWriter(path)
        #expect(try root.files.rotateIfNeeded(path: path) == false)
        for round in 1...4 {
            writer.write(String(repeating: "\(round)", count: 99) + "\n")
            #expect(try root.files.rotateIfNeeded(path: path), "round \(round)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        }
        writer.write("after\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "after\n")
        #expect(try String(contentsOfFile: path + ".1", encoding: .utf8) == String(repeating: "4", count: 99) + "\n")
        #expect(try String(contentsOfFile: path + ".2", encoding: .utf8) == String(repeating: "3", count: 99) + "\n")
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
        // The reading goes oldest first.
        let text = try await root.read(LogQuery())
        #expect(text == String(repeating: "3", count: 99) + "\n" + String(repeating: "4", count: 99) + "\n" + "after\n")
    }

    @Test("the check indexes growth, rotates the index with its file, and the rotator checks registered files")
    func checkAndRotator() async throws {
        let root = try LogRoot(maxFileSize: 1000)
        defer { root.remove() }
        let path = try root.write("", replica: 0, id: LogRoot.id(0, secondsAgo: 1))
        let writer = AppendingWriter(path)
        writer.write("one\n")
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try root.files.check(path: path, indexedSize: nil, now: at) == 4)
        // Nothing grew: no record.
        #expect(try root.files.check(path: path, indexedSize: 4, now: at.addingTimeInterval(2)) == 4)
        writer.write(String(repeating: "x", count: 1000) + "\n")
        #expect(try root.files.check(path: path, indexedSize: 4, now: at.addingTimeInterval(4)) == 0)
        #expect(try String(contentsOfFile: path + ".1.idx", encoding: .utf8) == "4 1800000000000\n1005 1800000004000\n")
        #expect(try String(contentsOfFile: path + ".idx", encoding: .utf8) == "")

        let rotator = LogRotator(files: root.files, interval: .milliseconds(50))
        rotator.register(path: path)
        writer.write("two\n")
        await rotator.checkAll()
        let records = LogIndex.load(logPath: path).records
        #expect(records.map(\.offset) == [4])
        writer.write("three\n")
        await rotator.unregister(path: path)
        #expect(LogIndex.load(logPath: path).records.map(\.offset) == [4, 10])
        #expect(rotator.paths.isEmpty)
    }

    @Test("prune keeps the newest instances of a replica; removeAll removes the service's logs")
    func prune() throws {
        let root = try LogRoot(keep: 2)
        defer { root.remove() }
        let ids = (0..<4).map { LogRoot.id(0, secondsAgo: Double(100 - $0)) }
        for id in ids {
            try root.write("\(id)\n", replica: 0, id: id)
            try root.write("rotated\n", replica: 0, id: id, suffix: ".1")
            try root.write("1 2\n", replica: 0, id: id, suffix: ".idx")
        }
        #expect(try root.files.prune(namespace: "default", service: "web", replica: 0) == Array(ids.prefix(2)))
        let left = try FileManager.default.contentsOfDirectory(atPath: root.files.directory(namespace: "default", service: "web", replica: 0))
        #expect(Set(left.compactMap(InstanceLogFiles.instanceID(ofFile:))) == Set(ids.suffix(2)))
        #expect(left.count == 6)
        try root.files.removeAll(namespace: "default", service: "web")
        #expect(!FileManager.default.fileExists(atPath: root.files.directory(namespace: "default", service: "web")))
        try root.files.removeAll(namespace: "default", service: "web")
        #expect(throws: StewardError.self) { try root.files.removeAll(namespace: "default", service: "..") }
        #expect(throws: StewardError.self) { try root.files.read(namespace: "../default", service: "web", query: LogQuery()) }
        #expect(FileManager.default.fileExists(atPath: root.path + "/default"))
    }

    @Test("current, previous, a replica name, an instance id; errors name the replica or list the instances")
    func selection() async throws {
        let root = try LogRoot()
        defer { root.remove() }
        #expect(try await root.read(LogQuery()) == "", "no logs yet: empty")
        #expect(try await root.read(LogQuery(follow: true)) == "", "no logs yet: empty, also when following")
        let old = LogRoot.id(0, secondsAgo: 60)
        let new = LogRoot.id(0, secondsAgo: 5)
        try root.write("old 1\nold 2\n", replica: 0, id: old)
        try root.write("new 1\n", replica: 0, id: new)
        #expect(try await root.read(LogQuery()) == "new 1\n")
        #expect(try await root.read(LogQuery(instance: "web-0")) == "new 1\n")
        #expect(try await root.read(LogQuery(previous: true)) == "old 1\nold 2\n")
        #expect(try await root.read(LogQuery(instance: "web-0", previous: true)) == "old 1\nold 2\n")
        #expect(try await root.read(LogQuery(instance: old)) == "old 1\nold 2\n")
        #expect(try await root.read(LogQuery(instance: new, previous: true)) == "old 1\nold 2\n")

        let oldest = root.error(LogQuery(instance: old, previous: true))
        #expect(oldest?.code == .notFound)
        #expect(oldest?.message.hasPrefix("\(old) has no previous instance") == true, "\(String(describing: oldest))")

        try root.write("one\n", replica: 1, id: LogRoot.id(1, secondsAgo: 3))
        let single = root.error(LogQuery(instance: "web-1", previous: true))
        #expect(single == StewardError.notFound("web-1 has no previous instance"))
        // Without an instance, only replicas that have a previous one (one here: no prefix).
        #expect(try await root.read(LogQuery(previous: true)) == "old 1\nold 2\n")

        let unknown = root.error(LogQuery(instance: "web-7"))
        #expect(unknown?.code == .notFound)
        #expect(unknown?.message.contains("service 'web' has no instance 'web-7'") == true)
        #expect(unknown?.message.contains("web-0 (\(new), \(old))") == true, "\(String(describing: unknown))")
        #expect(unknown?.message.contains("web-1 (") == true)

        let none = try LogRoot()
        defer { none.remove() }
        #expect(none.error(LogQuery(instance: "web-0"))?.message == "service 'web' has no instance 'web-0': it has no logs yet")
    }

    @Test("several instances: each line prefixed with its replica's name, aligned; a partial last line is ended")
    func prefixes() async throws {
        let root = try LogRoot()
        defer { root.remove() }
        try root.write("a\nb\n", replica: 0, id: LogRoot.id(0, secondsAgo: 5))
        try root.write("c\npartial", replica: 10, id: LogRoot.id(10, secondsAgo: 5))
        #expect(try await root.read(LogQuery()) == "web-0  | a\nweb-0  | b\nweb-10 | c\nweb-10 | partial\n")
        #expect(try await root.read(LogQuery(tail: 1)) == "web-0  | b\nweb-10 | partial\n")
        #expect(try await root.read(LogQuery(instance: "web-10")) == "c\npartial", "one instance: the bytes as written")
    }

    @Test("tail counts lines per instance across a rotated file")
    func tailAcrossRotation() async throws {
        let root = try LogRoot()
        defer { root.remove() }
        let id = LogRoot.id(0, secondsAgo: 5)
        try root.write("1\n2\n3\n4\n5\n", replica: 0, id: id, suffix: ".2")
        try root.write("6\n7\n", replica: 0, id: id, suffix: ".1")
        try root.write("8\n9", replica: 0, id: id)
        #expect(try await root.read(LogQuery(tail: 1)) == "9")
        #expect(try await root.read(LogQuery(tail: 2)) == "8\n9")
        #expect(try await root.read(LogQuery(tail: 4)) == "6\n7\n8\n9")
        #expect(try await root.read(LogQuery(tail: 6)) == "4\n5\n6\n7\n8\n9")
        #expect(try await root.read(LogQuery(tail: 100)) == "1\n2\n3\n4\n5\n6\n7\n8\n9")
        #expect(try await root.read(LogQuery(tail: 0)) == "")
        // Long lines across read chunks.
        let long = (0..<5).map { String(repeating: Character("\($0)"), count: 40_000) + "\n" }.joined()
        try root.write(long, replica: 0, id: id)
        #expect(try await root.read(LogQuery(tail: 2)) == String(long.suffix(80_002)))
    }

    @Test("since and timestamps use the time index: a line has the time of the first record at or after its end")
    func sinceAndTimestamps() async throws {
        let root = try LogRoot()
        defer { root.remove() }
        let id = LogRoot.id(0, secondsAgo: 7200)
        let now = Date().millisecondsSince1970
        let hourAgo = now - 3_600_000
        let minuteAgo = now - 60_000
        // .1: two lines of an hour ago. Current: a line of an hour ago whose second half came a
        // minute ago, then a line of a minute ago, then one not indexed yet.
        let rotated = try root.write("r1\nr2\n", replica: 0, id: id, suffix: ".1")
        try root.write("6 \(hourAgo)\n", replica: 0, id: id, suffix: ".1.idx")
        let path = try root.write("a-first-half,second-half\nb\nc\n", replica: 0, id: id)
        try root.write("5 \(hourAgo)\n25 \(minuteAgo)\n27 \(minuteAgo + 10)\n", replica: 0, id: id, suffix: ".idx")
        _ = rotated
        _ = path

        #expect(try await root.read(LogQuery(since: .seconds(600))) == "a-first-half,second-half\nb\nc\n")
        #expect(try await root.read(LogQuery(since: .seconds(30))) == "c\n", "the line that is not indexed yet is the newest")
        #expect(try await root.read(LogQuery(since: .seconds(7200))) == "r1\nr2\na-first-half,second-half\nb\nc\n")

        let stamped = try await root.read(LogQuery(tail: 4, timestamps: true))
        let lines = stamped.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(stamped)")
        #expect(lines[0] == "\(InstanceLogCursor.rfc3339(milliseconds: hourAgo)) r2")
        #expect(lines[1] == "\(InstanceLogCursor.rfc3339(milliseconds: minuteAgo)) a-first-half,second-half")
        #expect(lines[2] == "\(InstanceLogCursor.rfc3339(milliseconds: minuteAgo + 10)) b")
        // Past the index: the file's modification time (now, give or take).
        #expect(lines[3].hasSuffix("Z c"), "\(lines[3])")
        #expect(InstanceLogCursor.rfc3339(milliseconds: 1_700_000_000_007) == "2023-11-14T22:13:20.007Z")
    }

    @Test("follow sees appended lines, reads across a copy-truncate, and ends when cancelled")
    func follow() async throws {
        let root = try LogRoot(maxFileSize: 64)
        defer { root.remove() }
        let id = LogRoot.id(0, secondsAgo: 5)
        let path = try root.write("", replica: 0, id: id)
        let writer = AppendingWriter(path)
        writer.write("first\n")
        let followed = FollowedStream(try root.files.read(namespace: "default", service: "web", query: LogQuery(follow: true)))
        #expect(await followed.wait { $0 == "first\n" }, "\(followed.text)")
        writer.write("second\n")
        #expect(await followed.wait { $0 == "first\nsecond\n" }, "\(followed.text)")
        // Written just before the rotation, and not seen before it: found in .1.
        writer.write(String(repeating: "x", count: 60) + "\n")
        #expect(try root.files.rotateIfNeeded(path: path))
        writer.write("after the rotation\n")
        let expected = "first\nsecond\n" + String(repeating: "x", count: 60) + "\nafter the rotation\n"
        #expect(await followed.wait { $0 == expected }, "\(followed.text)")
        #expect(!followed.hasEnded)
        await followed.stop()
        #expect(followed.hasEnded)
    }

    @Test("follow with several instances prefixes the new lines, and holds a partial line until its end")
    func followSeveral() async throws {
        let root = try LogRoot()
        defer { root.remove() }
        let zero = AppendingWriter(try root.write("", replica: 0, id: LogRoot.id(0, secondsAgo: 5)))
        let one = AppendingWriter(try root.write("start\n", replica: 1, id: LogRoot.id(1, secondsAgo: 5)))
        let followed = FollowedStream(try root.files.read(namespace: "default", service: "web", query: LogQuery(tail: 10, follow: true)))
        #expect(await followed.wait { $0 == "web-1 | start\n" }, "\(followed.text)")
        zero.write("hel")
        // Well within the second of empty polls after which a partial line is let out.
        try await Task.sleep(for: .milliseconds(50))
        zero.write("lo\n")
        one.write("more\n")
        #expect(await followed.wait { $0.contains("web-0 | hello\n") && $0.contains("web-1 | more\n") }, "\(followed.text)")
        await followed.stop()
    }

    @Test("following a replica goes on with its next instance after a restart; following an instance id does not")
    func followAcrossRestart() async throws {
        let root = try LogRoot()
        defer { root.remove() }
        let first = LogRoot.id(0, secondsAgo: 60)
        let old = AppendingWriter(try root.write("started\n", replica: 0, id: first))
        let replica = FollowedStream(try root.files.read(namespace: "default", service: "web", query: LogQuery(follow: true)))
        let pinned = FollowedStream(try root.files.read(namespace: "default", service: "web", query: LogQuery(instance: first, follow: true)))
        #expect(await replica.wait { $0 == "started\n" }, "\(replica.text)")
        old.write("crashing\n")
        try root.write("restarted\n", replica: 0, id: LogRoot.id(0, secondsAgo: 1))
        #expect(await replica.wait { $0 == "started\ncrashing\nrestarted\n" }, "\(replica.text)")
        #expect(await pinned.wait { $0 == "started\ncrashing\n" }, "\(pinned.text)")
        // Given by id, the instance is followed alone (well past a scan for a newer one).
        try await Task.sleep(for: .seconds(2))
        #expect(pinned.text == "started\ncrashing\n")
        await replica.stop()
        await pinned.stop()
    }

    @Test("several instances' lines are interleaved by their times, ties in replica order")
    func interleaved() async throws {
        let root = try LogRoot()
        defer { root.remove() }
        let t = Date().millisecondsSince1970 - 60_000
        let zero = LogRoot.id(0, secondsAgo: 90)
        let one = LogRoot.id(1, secondsAgo: 90)
        try root.write("a1\na2\na3\n", replica: 0, id: zero)
        try root.write("3 \(t)\n6 \(t + 2000)\n9 \(t + 4000)\n", replica: 0, id: zero, suffix: ".idx")
        try root.write("b1\nb2\nb3\n", replica: 1, id: one)
        try root.write("3 \(t + 1000)\n6 \(t + 2000)\n9 \(t + 5000)\n", replica: 1, id: one, suffix: ".idx")
        #expect(try await root.read(LogQuery()) == "web-0 | a1\nweb-1 | b1\nweb-0 | a2\nweb-1 | b2\nweb-0 | a3\nweb-1 | b3\n")
        #expect(try await root.read(LogQuery(tail: 1)) == "web-0 | a3\nweb-1 | b3\n")
    }
}
