import Foundation
import JSONSchema
import Testing

/// Where the official JSON Schema Test Suite is: the checkout of
/// https://github.com/json-schema-org/JSON-Schema-Test-Suite that `JSON_SCHEMA_TEST_SUITE`
/// names (a relative path is taken from the current directory). `.ci/run` sets it; the tests
/// that read the suite are skipped when it is not set.
enum JSONSchemaTestSuite {
    /// The environment variable that names the checkout.
    static let variable = "JSON_SCHEMA_TEST_SUITE"

    /// The checkout, or nil when the variable is not set.
    static let root: URL? = {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }()

    /// The reason printed once when the suite's tests are skipped.
    static let howToRun: Comment = """
        the official JSON Schema Test Suite is not run: set \(variable) to a checkout of \
        https://github.com/json-schema-org/JSON-Schema-Test-Suite to run it \
        (\(variable)=../JSON-Schema-Test-Suite swift test --filter SuiteTests)
        """

    /// The checkout, or a failure that names the variable when it is set to a folder without
    /// the suite's `tests/`.
    static func requireRoot() throws -> URL {
        let root = try #require(root, "\(variable) is not set")
        try #require(
            FileManager.default.fileExists(atPath: root.appendingPathComponent("tests").path),
            "\(variable)=\(root.path) does not hold the suite's tests/ folder")
        return root
    }

    /// Parses the suite's file at `relativePath` (such as `tests/draft2020-12/pattern.json`).
    static func load(_ relativePath: String) throws -> JSON {
        let data = try Data(contentsOf: try requireRoot().appendingPathComponent(relativePath))
        return try JSON(parsing: Array(data))
    }
}
