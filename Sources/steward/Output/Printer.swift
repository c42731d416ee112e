import Foundation
import JSONSchema

/// Writes a command's result to standard output in the chosen ``OutputFormat``.
struct Printer: Sendable {
    var format: OutputFormat
    var style: TableStyle = .standardOutput

    /// Prints `json` as JSON or YAML, or the tables `tables()` builds.
    func emit(_ json: JSON, tables: () -> [Table]) {
        emit(json) { tables().map { $0.render(style: style) }.joined(separator: "\n") }
    }

    /// Prints `json` as JSON or YAML, or `text` for the table format.
    func emit(_ json: JSON, text: () -> String) {
        switch format {
        case .json:
            Self.write(json.serialized(pretty: true) + "\n")
        case .yaml:
            Self.write(YAMLWriter.string(json))
        case .table:
            Self.write(text())
        }
    }

    /// Writes to standard output without buffering surprises (each call is flushed).
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes UTF-8 bytes to standard output.
    static func write(bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }
}
