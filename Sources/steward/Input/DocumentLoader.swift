import Foundation
import JSONSchema

/// Reads the JSON or YAML documents of a spec file (`-` reads standard input).
///
/// Files ending in `.json` are JSON; `.yaml` and `.yml` are YAML; anything else is read as
/// JSON when it parses as JSON and as YAML otherwise. A JSON file may hold one document or an
/// array of documents; a YAML file may hold several documents separated by `---`.
enum DocumentLoader {
    /// Why a spec file could not be read; the message names the file.
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// All documents of `path`, in file order.
    static func documents(at path: String) throws -> [JSON] {
        let text = try readText(path)
        let lower = path.lowercased()
        if lower.hasSuffix(".json") {
            return try parseJSON(text, path: path)
        }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return try parseYAML(text, path: path)
        }
        let trimmed = text.drop(while: { $0.isWhitespace })
        if trimmed.first == "{" || trimmed.first == "[", let documents = try? parseJSON(text, path: path) {
            return documents
        }
        return try parseYAML(text, path: path)
    }

    /// The single document of `path`; an error when it holds none or several.
    static func document(at path: String, command: String) throws -> JSON {
        let documents = try documents(at: path)
        guard documents.count == 1, let document = documents.first else {
            if documents.isEmpty { throw LoadError(description: "\(path) holds no document") }
            throw LoadError(
                description: "\(path) holds \(documents.count) documents, but `\(command)` takes one; use `steward apply -f \(path)` for several")
        }
        guard case .object = document else {
            throw LoadError(description: "\(path) must hold a JSON object, not \(document.typeName)")
        }
        return document
    }

    private static func readText(_ path: String) throws -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard FileManager.default.fileExists(atPath: path) else {
                throw LoadError(description: "cannot read \(path): no such file")
            }
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw LoadError(description: "cannot read \(path): permission denied or not a regular file")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError(description: "\(path) is not UTF-8 text")
        }
        return text
    }

    private static func parseJSON(_ text: String, path: String) throws -> [JSON] {
        let value: JSON
        do {
            value = try JSONParser.parse(Array(text.utf8))
        } catch {
            throw LoadError(description: "\(path) is not valid JSON: \(error.description)")
        }
        if case .array(let documents) = value { return documents }
        return [value]
    }

    private static func parseYAML(_ text: String, path: String) throws -> [JSON] {
        do {
            return try YAMLConverter.documents(text)
        } catch let error as YAMLConverter.ConversionError {
            throw LoadError(description: "\(path) is not valid YAML for JSON: \(error.description)")
        }
    }
}
