import Foundation

extension Process {
    /// Starts the process with its standard output and error written to a new file at `log`.
    func run(loggingTo log: String) throws {
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        standardOutput = handle
        standardError = handle
        try run()
    }
}
