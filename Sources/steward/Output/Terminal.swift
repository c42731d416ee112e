#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What the CLI needs to know about the terminal it writes to.
enum Terminal {
    /// The width of standard output in columns when it is a terminal, nil when it is a pipe or
    /// a file. `COLUMNS` overrides what the terminal reports.
    static var standardOutputColumns: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 20 {
            return columns
        }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 {
            return Int(size.ws_col)
        }
        return 120
    }

    /// Colour is used only on a terminal, and never when `NO_COLOR` is set.
    static var colourAllowed: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Writes `text` to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
