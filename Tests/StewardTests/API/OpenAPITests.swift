import Foundation
import Hummingbird
import StewardStore
import Testing

@testable import StewardServer

@Suite("OpenAPI document")
struct OpenAPITests {
    static let repositoryDocument = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.yaml")

    /// `METHOD /path` of every operation of the document, read from its `paths:` section.
    static func documentedOperations(_ yaml: String) -> Set<String> {
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if !line.hasPrefix(" ") && !line.isEmpty { break }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "put", "post", "delete", "patch", "head", "options"].contains(String(key)) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func servedDocumentIsTheRepositorysDocument() throws {
        let file = try String(contentsOf: Self.repositoryDocument, encoding: .utf8)
        #expect(OpenAPIDocument.yaml == file, "run `python3 scripts/embed-openapi.py` after editing docs/openapi.yaml")
    }

    @Test func routerServesExactlyTheDocumentedOperations() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = ServerConfiguration()
        configuration.home = directory.path
        let router = try makeRouter(configuration: configuration, store: try StubStoreFactory.make(directory.path))
        let routed = Set(router.routes.map { "\($0.method.rawValue) \(Self.normalize($0.path.description))" })
        let documented = Self.documentedOperations(OpenAPIDocument.yaml)
        #expect(documented.count >= 20)
        #expect(routed.subtracting(documented).isEmpty, "routes missing from the document: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
    }

    /// Router paths print as `/api/v1/namespaces/{ns}/services`; make sure of the leading slash.
    static func normalize(_ path: String) -> String {
        path.hasPrefix("/") ? path : "/" + path
    }
}

/// A real store for building a router in tests that do not serve requests.
enum StubStoreFactory {
    static func make(_ directory: String) throws -> StewardStore.SQLiteStore {
        try StewardStore.SQLiteStore(path: directory + "/steward.db")
    }
}
