import Foundation
import StewardCore

/// Reads one instance's log for a ``LogQuery``: first what its files hold (rotated files
/// oldest first, then the current file, from where `tail` and `since` start), then, when it
/// follows, what is appended to the current file, across copy-truncate rotations.
///
/// `@unchecked Sendable` but not thread-safe: a ``LogReader`` uses it from one caller at a time
/// (handing it to a dispatch queue and waiting). Every method does blocking
/// file I/O and runs off the cooperative pool.
final class InstanceLogCursor: @unchecked Sendable {
    /// One file to read, from `offset` to `end` (its size when the reading started).
    struct Segment {
        var path: String
        var offset: Int64
        var end: Int64
        var index: LogIndex
        /// The modification time when the reading started: the time of lines the index does
        /// not reach.
        var modified: Int64
    }

    /// The instance's current file (`….log`); when following restarts, that of the replica's
    /// newest instance.
    private(set) var path: String
    /// What each line starts with (`web-1 | `), or nil.
    let label: [UInt8]?
    let timestamps: Bool
    let tail: Int?
    /// Lines older than this (unix ms) are skipped; nil: none.
    let cutoff: Int64?
    /// Whether to read what is appended after the files are read.
    let follows: Bool
    /// Whether, when following, a newer instance of the same replica (a restart) is followed in
    /// its turn once the current one's file is read to its end.
    let followsRestarts: Bool
    /// The rotated files before `path`, oldest first.
    private let rotated: [String]

    private var prepared = false
    private var segments: [Segment] = []
    /// The partial line (no newline yet) kept until its end arrives, in line mode.
    private var pending: [UInt8] = []
    /// The offset in the current file up to which it has been read, when following.
    private var liveOffset: Int64 = 0
    /// The inode of `.log.1` last seen: a new one means a rotation.
    private var rotatedInode: UInt64?
    /// Polls in a row that found nothing while a partial line waits.
    private var idlePolls = 0
    /// Polls since the replica's directory was last looked at for a newer instance.
    private var pollsSinceScan = 0
    /// Whether emitted lines go to ``ready`` (one by one, with their times) instead of the output.
    private var collectsLines = false
    private var ready: [(milliseconds: Int64, bytes: [UInt8])] = []
    private var readyHead = 0

    /// The largest read at a time.
    static let chunkSize = 64 << 10
    /// A partial line longer than this is emitted without waiting for its end.
    static let maxPendingLine = 1 << 20
    /// Polls without new bytes after which a waiting partial line is emitted as a line.
    static let partialLinePolls = 5
    /// Polls between two looks for a newer instance of the replica.
    static let restartScanPolls = 5

    init(path: String, rotated: [String], label: String?, query: LogQuery, follows: Bool, followsRestarts: Bool = false, now: Int64) {
        self.path = path
        self.rotated = rotated
        self.label = label.map { Array($0.utf8) }
        self.timestamps = query.timestamps
        self.tail = query.tail.map { max(0, $0) }
        self.cutoff = query.since.map { now - Self.milliseconds($0) }
        self.follows = follows
        self.followsRestarts = follows && followsRestarts
    }

    /// Whether lines are split to be prefixed (a label or a timestamp); else bytes pass as they are.
    private var lineMode: Bool { label != nil || timestamps }

    // MARK: The files as they are

    /// The next chunk of what the files held when the reading started; nil when that is all read.
    func nextInitialChunk() throws(StewardError) -> [UInt8]? {
        if !prepared { try prepare() }
        while !segments.isEmpty {
            var segment = segments[0]
            let isLast = segments.count == 1
            if segment.offset >= segment.end {
                segments.removeFirst()
                // A file that ends within a line: that line ends with the file, unless the
                // instance is still writing it.
                if !(isLast && follows), !pending.isEmpty {
                    return flushPending(milliseconds: segment.index.milliseconds(ofLineEndingAt: segment.end) ?? segment.modified)
                }
                continue
            }
            let bytes = try LogFileIO.read(
                segment.path, from: segment.offset, count: Int(min(Int64(Self.chunkSize), segment.end - segment.offset)))
            if bytes.isEmpty {
                // The file shrank meanwhile (rotated): the rest is gone from it.
                segment.end = segment.offset
                segments[0] = segment
                continue
            }
            let index = segment.index
            let modified = segment.modified
            let out = lines(bytes, at: segment.offset) { index.milliseconds(ofLineEndingAt: $0) ?? modified }
            segment.offset += Int64(bytes.count)
            segments[0] = segment
            if !out.isEmpty || readyHead < ready.count { return out }
        }
        return nil
    }

    // MARK: Line by line, to interleave instances by time

    /// The time of the next line of what the files held, nil when all is read. Makes the
    /// cursor keep the lines of its initial read one by one (``takeLine()``) instead of handing
    /// out chunks, so that a reader can interleave several instances by time.
    func nextLineTime() throws(StewardError) -> Int64? {
        collectsLines = true
        while readyHead >= ready.count {
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
            guard try nextInitialChunk() != nil else {
                collectsLines = false
                return nil
            }
        }
        return ready[readyHead].milliseconds
    }

    /// The line whose time ``nextLineTime()`` gave, with its label and time.
    func takeLine() -> [UInt8] {
        defer { readyHead += 1 }
        return ready[readyHead].bytes
    }

    /// Lists the files, their indexes and sizes, and where `tail` and `since` start.
    private func prepare() throws(StewardError) {
        prepared = true
        rotatedInode = LogFileIO.status(path + ".1")?.inode
        var files: [Segment] = []
        for file in rotated + [path] {
            guard let status = LogFileIO.status(file) else { continue }
            files.append(
                Segment(
                    path: file, offset: 0, end: status.size,
                    index: LogIndex.loadFinished(logPath: file, status: status), modified: status.modifiedMilliseconds))
        }
        liveOffset = files.last(where: { $0.path == path })?.end ?? 0
        guard !files.isEmpty else { return }
        var start = (file: 0, offset: Int64(0))
        if let cutoff {
            start = (files.count - 1, files[files.count - 1].end)
            for (i, file) in files.enumerated() {
                let offset = file.index.offset(before: cutoff)
                if offset < file.end {
                    let beginning = try lineStart(file.path, containing: offset)
                    start = (i, beginning)
                    break
                }
            }
        }
        if let tail {
            var wanted = tail
            var tailStart = (file: 0, offset: Int64(0))
            if wanted == 0 {
                tailStart = (files.count - 1, files[files.count - 1].end)
            } else {
                for i in stride(from: files.count - 1, through: 0, by: -1) {
                    let (offset, found) = try Self.tailStart(files[i].path, end: files[i].end, lines: wanted)
                    if found == wanted {
                        tailStart = (i, offset)
                        break
                    }
                    wanted -= found
                }
            }
            if tailStart.file > start.file || (tailStart.file == start.file && tailStart.offset > start.offset) {
                start = tailStart
            }
        }
        files.removeFirst(start.file)
        files[0].offset = start.offset
        segments = files
    }

    /// The start of the line that holds byte `offset` of `path`.
    private func lineStart(_ path: String, containing offset: Int64) throws(StewardError) -> Int64 {
        var end = offset
        while end > 0 {
            let from = max(0, end - Int64(Self.chunkSize))
            let bytes = try LogFileIO.read(path, from: from, count: Int(end - from))
            if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) { return from + Int64(newline) + 1 }
            end = from
        }
        return 0
    }

    /// Where the last `lines` lines of the first `end` bytes of `path` start, and how many of
    /// them there are (fewer when the file has fewer; then the offset is 0). A last line
    /// without its newline counts.
    static func tailStart(_ path: String, end: Int64, lines: Int) throws(StewardError) -> (offset: Int64, found: Int) {
        guard end > 0, lines > 0 else { return (end, 0) }
        // Line starts, newest first: after each newline below the last byte's, then 0.
        var found = 0
        var scanEnd = end
        var first = true
        while scanEnd > 0 {
            let from = max(0, scanEnd - Int64(chunkSize))
            var bytes = try LogFileIO.read(path, from: from, count: Int(scanEnd - from))
            if first {
                first = false
                // The newline that ends the last line starts no line.
                if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            }
            var i = bytes.count - 1
            while i >= 0 {
                if bytes[i] == UInt8(ascii: "\n") {
                    found += 1
                    if found == lines { return (from + Int64(i) + 1, found) }
                }
                i -= 1
            }
            scanEnd = from
        }
        return (0, found + 1)
    }

    // MARK: Following

    /// What was appended to the current file since the last call (at most about a chunk),
    /// empty when nothing was. A rotation (the file cut shorter, or a new `.log.1`) is read
    /// across: the bytes not read yet of the old file are taken from `.log.1`, then the file is
    /// read from 0 again. When following restarts, a newer instance of the replica is followed
    /// from its start once the current file is read to its end (or is gone).
    func poll() throws(StewardError) -> [UInt8] {
        guard follows else { return [] }
        var out: [UInt8] = []
        if followsRestarts {
            pollsSinceScan += 1
            if pollsSinceScan >= Self.restartScanPolls {
                pollsSinceScan = 0
                let current = LogFileIO.status(path)
                if (current?.size ?? 0) <= liveOffset, let newer = newerInstancePath() {
                    out += flushPending(milliseconds: current?.modifiedMilliseconds ?? Date().millisecondsSince1970)
                    path = newer
                    liveOffset = 0
                    rotatedInode = nil
                }
            }
        }
        guard let status = LogFileIO.status(path) else { return out }
        if let rotatedStatus = LogFileIO.status(path + ".1"), rotatedStatus.inode != rotatedInode {
            // A new `.1` and a file cut shorter than it: a rotation happened. A new `.1` and a
            // file not cut yet: it is happening; look again at the next poll.
            guard status.size < rotatedStatus.size || status.size < liveOffset else { return out }
            if rotatedStatus.size > liveOffset {
                let rest = try LogFileIO.read(path + ".1", from: liveOffset, count: Int(rotatedStatus.size - liveOffset))
                out += lines(rest, at: liveOffset) { _ in rotatedStatus.modifiedMilliseconds }
            }
            out += flushPending(milliseconds: rotatedStatus.modifiedMilliseconds)
            rotatedInode = rotatedStatus.inode
            liveOffset = 0
        } else if status.size < liveOffset {
            // Cut without a rotation: what it holds now is new.
            out += flushPending(milliseconds: status.modifiedMilliseconds)
            liveOffset = 0
        }
        if status.size > liveOffset {
            let bytes = try LogFileIO.read(path, from: liveOffset, count: Int(min(Int64(Self.chunkSize), status.size - liveOffset)))
            // Read within a poll interval of their writing: the file's modification time is the
            // lines' time, more precise than the index.
            out += lines(bytes, at: liveOffset) { _ in status.modifiedMilliseconds }
            liveOffset += Int64(bytes.count)
            idlePolls = 0
        } else if !pending.isEmpty {
            idlePolls += 1
            if idlePolls >= Self.partialLinePolls {
                idlePolls = 0
                out += flushPending(milliseconds: status.modifiedMilliseconds)
            }
        }
        return out
    }

    /// The current file of the replica's newest instance when it is newer than the one read.
    private func newerInstancePath() -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        guard let current = InstanceLogFiles.instanceID(ofFile: (path as NSString).lastPathComponent),
            let newest = LogFileIO.names(in: directory).compactMap(InstanceLogFiles.instanceID(ofFile:)).max(),
            newest > current
        else { return nil }
        return "\(directory)/\(newest).log"
    }

    /// Whether the current file has bytes not read yet (so the reader should not sleep).
    func hasMore() -> Bool {
        guard follows, let status = LogFileIO.status(path) else { return false }
        return status.size > liveOffset
    }

    // MARK: Lines

    /// `bytes` (which start at `offset` of their file) as output: as they are without a label
    /// and timestamps; else each whole line with its label and time (`time(end offset)`), and
    /// the partial line at the end kept in `pending`.
    private func lines(_ bytes: [UInt8], at offset: Int64, time: (Int64) -> Int64) -> [UInt8] {
        guard lineMode else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var start = 0
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = bytes[start...newline]
            if pending.isEmpty {
                emit(line, milliseconds: time(offset + Int64(newline) + 1), into: &out)
            } else {
                pending += line
                emit(pending[...], milliseconds: time(offset + Int64(newline) + 1), into: &out)
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
        pending += bytes[start...]
        if pending.count > Self.maxPendingLine {
            out += flushPending(milliseconds: time(offset + Int64(bytes.count)))
        }
        return out
    }

    /// The waiting partial line as a whole line, with a newline added; empty when none waits.
    private func flushPending(milliseconds: Int64) -> [UInt8] {
        guard !pending.isEmpty else { return [] }
        var out: [UInt8] = []
        pending.append(UInt8(ascii: "\n"))
        emit(pending[...], milliseconds: milliseconds, into: &out)
        pending.removeAll(keepingCapacity: true)
        return out
    }

    private func emit(_ line: ArraySlice<UInt8>, milliseconds: Int64, into out: inout [UInt8]) {
        if collectsLines {
            var one: [UInt8] = []
            format(line, milliseconds: milliseconds, into: &one)
            ready.append((milliseconds, one))
        } else {
            format(line, milliseconds: milliseconds, into: &out)
        }
    }

    private func format(_ line: ArraySlice<UInt8>, milliseconds: Int64, into out: inout [UInt8]) {
        if let label { out += label }
        if timestamps {
            out += Self.rfc3339(milliseconds: milliseconds).utf8
            out.append(UInt8(ascii: " "))
        }
        out += line
    }

    /// `2026-12-03T16:38:46.123Z`.
    static func rfc3339(milliseconds: Int64) -> String { Timestamp.rfc3339(milliseconds: milliseconds) }

    /// `duration` in whole milliseconds (saturating).
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? .max / 2 : whole + attoseconds / 1_000_000_000_000_000
    }
}
