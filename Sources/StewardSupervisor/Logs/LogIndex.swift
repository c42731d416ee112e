import StewardCore

/// The time index of one log file: the sidecar `<file>.idx` (`web-1-….log.idx`,
/// `web-1-….log.2.idx`), one text line `<byte offset> <unix milliseconds>` per record.
///
/// The instance writes its log itself, so nobody sees the time of each line. Instead the
/// ``LogRotator``'s check appends a record whenever the file grew: "the first `offset` bytes
/// had been written at `milliseconds`". A line ending at byte `e` gets the time of the first
/// record at or after `e`, so a line's time is known to the check interval (2 s by default):
/// it was written at most that long before the time shown. Offsets and times only grow within
/// one file; the index is rotated with its file.
struct LogIndex: Sendable, Equatable {
    /// One record: the file's first `offset` bytes were written by `milliseconds`.
    struct Record: Sendable, Equatable {
        var offset: Int64
        var milliseconds: Int64
    }

    var records: [Record] = []

    /// The index file of the log file `logPath`.
    static func path(of logPath: String) -> String { logPath + ".idx" }

    /// The index of `logPath`, read from its sidecar (empty when there is none; unreadable
    /// lines and records that would go back are skipped).
    static func load(logPath: String) -> LogIndex {
        let indexPath = path(of: logPath)
        let size = LogFileIO.status(indexPath)?.size ?? 0
        let bytes = (try? LogFileIO.read(indexPath, from: 0, count: Int(min(size, 64 << 20)))) ?? []
        var index = LogIndex()
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count == 2, let offset = Int64(String(decoding: fields[0], as: UTF8.self)),
                let milliseconds = Int64(String(decoding: fields[1], as: UTF8.self))
            else { continue }
            index.add(Record(offset: offset, milliseconds: milliseconds))
        }
        return index
    }

    /// The index of a file that no longer grows (a rotated file, or the log of an instance
    /// that ended): its records, and one at its end dated at its modification time when the
    /// records do not reach it, so that every line has a time.
    static func loadFinished(logPath: String, status: LogFileIO.Status) -> LogIndex {
        var index = load(logPath: logPath)
        if status.size > (index.records.last?.offset ?? 0) {
            let last = index.records.last?.milliseconds ?? status.modifiedMilliseconds
            index.records.append(Record(offset: status.size, milliseconds: max(last, status.modifiedMilliseconds)))
        }
        return index
    }

    /// Adds `record` when it goes forward (a later offset, a time not earlier).
    mutating func add(_ record: Record) {
        if let last = records.last {
            guard record.offset > last.offset else { return }
            records.append(Record(offset: record.offset, milliseconds: max(record.milliseconds, last.milliseconds)))
        } else {
            records.append(record)
        }
    }

    /// The line of a record as stored.
    static func line(_ record: Record) -> [UInt8] {
        Array("\(record.offset) \(record.milliseconds)\n".utf8)
    }

    /// The stored form of all records.
    var bytes: [UInt8] { records.flatMap(Self.line) }

    /// Appends one record to the sidecar of `logPath`.
    static func append(_ record: Record, toLog logPath: String) throws(StewardError) {
        try LogFileIO.append(line(record), to: path(of: logPath))
    }

    /// The time of a line ending at byte `end`: that of the first record at or after `end`;
    /// nil when the records do not reach it yet (the line is newer than the last check).
    func milliseconds(ofLineEndingAt end: Int64) -> Int64? {
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].offset < end { low = middle + 1 } else { high = middle }
        }
        return low < records.count ? records[low].milliseconds : nil
    }

    /// The offset after which the lines were written at or after `cutoff`: lines that end
    /// after it have times of at least `cutoff`, those that end at or before it are older.
    func offset(before cutoff: Int64) -> Int64 {
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].milliseconds < cutoff { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : records[low - 1].offset
    }
}
