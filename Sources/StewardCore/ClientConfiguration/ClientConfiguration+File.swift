import Foundation
import JSONSchema

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ClientConfiguration {
    /// The path of the configuration file for `environment`: `$STEWARD_CONFIG`, else
    /// `$XDG_CONFIG_HOME/steward/config.json`, else `~/.config/steward/config.json`.
    public static func path(environment: [String: String]) -> String {
        if let path = environment["STEWARD_CONFIG"], !path.isEmpty { return path }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/steward/config.json" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/steward/config.json"
    }

    /// Reads the configuration at `path`; nil when there is no file.
    /// - Throws: ``StewardError`` `invalid_input` naming the file and what is wrong in it.
    public static func load(from path: String) throws(StewardError) -> ClientConfiguration? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let json: JSON
        do {
            json = try JSONParser.parse(Array(data))
        } catch {
            throw .invalidInput("the client configuration \(path) is not valid JSON: \(error.description)")
        }
        do {
            return try ClientConfiguration(json: json)
        } catch {
            throw StewardError(.invalidInput, "the client configuration \(path): \(error.message)", field: error.field)
        }
    }

    /// Writes the configuration to `path` (mode 0600, its directory 0700), atomically.
    public func save(to path: String) throws(StewardError) {
        try PrivateFile.createDirectory((path as NSString).deletingLastPathComponent)
        try PrivateFile.write(json.serializedBytes(pretty: true) + [UInt8(ascii: "\n")], to: path)
    }

    /// Reads the configuration at `path` (empty when there is none), lets `change` edit it,
    /// and writes it back, holding an exclusive lock on `<path>.lock` meanwhile so that two
    /// servers starting at once both keep their context. An earlier version's file is
    /// written back in the current form.
    public static func update<Result>(
        at path: String, _ change: (inout ClientConfiguration) throws(StewardError) -> Result
    ) throws(StewardError) -> Result {
        try PrivateFile.createDirectory((path as NSString).deletingLastPathComponent)
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw .internal("cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw .internal("cannot lock \(lockPath): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(fd, LOCK_UN) }
        var configuration = try load(from: path) ?? ClientConfiguration()
        let result = try change(&configuration)
        try configuration.save(to: path)
        return result
    }
}
