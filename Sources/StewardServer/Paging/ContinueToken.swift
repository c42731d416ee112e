import Foundation
import JSONSchema
import StewardCore

/// The opaque `continue` token of a list page: which list it belongs to (its name, namespace
/// and filters), the sort key of the page's last item, and for service lists the revision of
/// the first page.
///
/// The text is unpadded base64url of a small JSON object. It is not secret and needs no
/// signature: it only says where the next page starts, within a list the caller may read
/// anyway. A token that does not decode, or that belongs to another list, is refused with
/// `invalid_input` naming `continue`.
struct ContinueToken: Equatable {
    /// The list and its filters, such as `{"list": "services", "namespace": "default", "kind": "Web"}`.
    var scope: JSONObject
    /// The sort key of the last item of the page (a name, or a sequence number).
    var after: JSON
    /// The revision of the first page, which every later page reports.
    var revision: Int64?

    static let version = 1

    /// The token's text.
    var text: String {
        var object: JSONObject = ["v": .int(Self.version), "scope": .object(scope), "after": after]
        if let revision { object["revision"] = .int(Int(revision)) }
        return Data(JSON.object(object).serializedBytes()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `text` and checks that it belongs to the list `scope`.
    init(text: String, scope expected: JSONObject) throws(StewardError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard text.utf8.allSatisfy(Self.isBase64URL), let data = Data(base64Encoded: base64),
            let json = try? JSONParser.parse(Array(data)), json["v"]?.intValue == Self.version,
            case .object(let scope)? = json["scope"], let after = json["after"], !after.isNull
        else {
            throw .invalidInput(
                "'continue' must be the token of a previous page of this list, got '\(text.prefix(64))'; list again without it",
                field: "continue")
        }
        guard scope == expected else {
            throw .invalidInput(
                "'continue' is the token of another list (\(Self.describe(scope))), not of \(Self.describe(expected)); send it with the same query as the page it came from, or list again without it",
                field: "continue")
        }
        let revision = json["revision"]?.intValue.map(Int64.init)
        self.init(scope: scope, after: after, revision: revision)
    }

    init(scope: JSONObject, after: JSON, revision: Int64?) {
        self.scope = scope
        self.after = after
        self.revision = revision
    }

    /// `services in namespace 'default' with kind 'Web'`.
    static func describe(_ scope: JSONObject) -> String {
        var text = scope["list"]?.stringValue ?? "a list"
        if let namespace = scope["namespace"]?.stringValue { text += " in namespace '\(namespace)'" }
        let filters = scope.filter { $0.key != "list" && $0.key != "namespace" && $0.value != .string("") }
            .map { "\($0.key) '\($0.value.stringValue ?? $0.value.serialized())'" }
        if !filters.isEmpty { text += " with " + filters.joined(separator: ", ") }
        return text
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
