import JSONSchema
import Yams

/// Turns YAML documents into ``JSON`` values, keeping key order and the difference between
/// integers and other numbers, and refusing what JSON cannot hold (non-scalar keys, duplicate
/// keys, merge keys, custom tags, infinities and NaN).
///
/// Scalars resolve as in YAML 1.1's core types (`true`, `no`, `~`, `0x1F`, `1_000`, `2.5`);
/// timestamps stay strings.
enum YAMLConverter {
    /// Why a YAML text could not become JSON.
    struct ConversionError: Error, CustomStringConvertible {
        /// The human-readable reason, with the line and column when known.
        var description: String
    }

    /// The scalar resolver: the YAML 1.1 core types, but timestamps and merge keys stay strings.
    private static let resolver = Resolver.default.removing(.timestamp).removing(.merge).removing(.value)

    /// Parses every document of `text` (documents separated by `---`). Empty documents are skipped.
    static func documents(_ text: String) throws -> [JSON] {
        let parser: Parser
        do {
            parser = try Parser(yaml: text, resolver: resolver)
        } catch {
            throw ConversionError(description: describe(error))
        }
        var documents: [JSON] = []
        while true {
            let root: Node?
            do {
                root = try parser.nextRoot()
            } catch {
                throw ConversionError(description: describe(error))
            }
            guard let root else { break }
            let value = try convert(root)
            if case .null = value { continue }
            documents.append(value)
        }
        return documents
    }

    /// Converts one YAML node into JSON.
    static func convert(_ node: Node) throws -> JSON {
        switch node {
        case .scalar(let scalar):
            return try convert(scalar)
        case .sequence(let sequence):
            try requireStandardTag(node.tag, expected: .seq, mark: sequence.mark)
            return .array(try sequence.map(convert))
        case .mapping(let mapping):
            try requireStandardTag(node.tag, expected: .map, mark: mapping.mark)
            var object = JSONObject()
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ConversionError(description: "a mapping key\(where: keyNode.mark) is not a scalar; JSON object keys are strings")
                }
                let key = keyScalar.string
                if key == "<<", keyScalar.style == .plain {
                    throw ConversionError(description: "merge keys ('<<')\(where: keyScalar.mark) are not supported; JSON has no equivalent")
                }
                if object[key] != nil {
                    throw ConversionError(description: "duplicate key '\(key)'\(where: keyScalar.mark)")
                }
                object[key] = try convert(valueNode)
            }
            return .object(object)
        case .alias(let alias):
            throw ConversionError(description: "unresolved alias '*\(alias.anchor.rawValue)'\(where: alias.mark)")
        }
    }

    private static func convert(_ scalar: Node.Scalar) throws -> JSON {
        let text = scalar.string
        switch Tag.Name(rawValue: Node.scalar(scalar).tag.rawValue) {
        case .str:
            return .string(text)
        case .null:
            return .null
        case .bool:
            guard let value = Bool.construct(from: scalar) else {
                throw ConversionError(description: "'\(text)'\(where: scalar.mark) is not a boolean")
            }
            return .bool(value)
        case .int:
            if let value = exactNumber(text) { return value }
            if let value = Int.construct(from: scalar) { return .int(value) }
            throw ConversionError(description: "the integer '\(text)'\(where: scalar.mark) is out of range")
        case .float:
            if let value = exactNumber(text) { return value }
            guard let value = Double.construct(from: scalar), value.isFinite else {
                throw ConversionError(description: "'\(text)'\(where: scalar.mark) is not a finite number; JSON has no infinities or NaN")
            }
            return .double(value)
        default:
            throw ConversionError(description: "the tag '\(scalar.tag.rawValue)'\(where: scalar.mark) has no JSON equivalent")
        }
    }

    /// A number written the JSON way keeps its exact JSON form (integer, double or decimal).
    private static func exactNumber(_ text: String) -> JSON? {
        let trimmed = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard let first = trimmed.utf8.first, first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return nil
        }
        guard let value = try? JSON(parsing: trimmed), value.isNumber else { return nil }
        return value
    }

    private static func requireStandardTag(_ tag: Tag, expected: Tag.Name, mark: Mark?) throws {
        let name = Tag.Name(rawValue: tag.rawValue)
        guard name == expected || name == .implicit || name == .nonSpecific else {
            throw ConversionError(description: "the tag '\(tag.rawValue)'\(where: mark) has no JSON equivalent")
        }
    }

    private static func describe(_ error: Error) -> String {
        guard let yamlError = error as? YamlError else { return String(describing: error) }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "\(problem) at line \(mark.line), column \(mark.column)"
        default:
            return String(describing: yamlError).components(separatedBy: "\n").first ?? "invalid YAML"
        }
    }
}

extension String.StringInterpolation {
    /// ` at line L, column C` when the mark is known.
    fileprivate mutating func appendInterpolation(where mark: Mark?) {
        if let mark { appendLiteral(" at line \(mark.line), column \(mark.column)") }
    }
}
