import Foundation
import JSONSchema

/// What a run of the `steward` binary printed and how it exited.
struct CommandResult: CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output parsed as JSON (for `-o json`).
    func json() throws -> JSON {
        try JSON(parsing: stdout)
    }

    var description: String {
        "steward \(arguments.joined(separator: " ")) -> exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}
