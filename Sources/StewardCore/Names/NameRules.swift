/// The naming rules for services, namespaces, definitions and kinds.
///
/// Service names follow CloudFlow's rules (seed 002): they begin with a lower-case letter,
/// contain only `a-z`, `0-9` and `-`, do not end with `-`, and have at most 32 characters
/// counting the `<namespace>-` prefix (the service is reachable under `/<namespace>-<name>`).
/// Every error names the rule that was broken.
public enum NameRules {
    /// The longest `<namespace>-<service>` allowed.
    public static let maxQualifiedServiceNameLength = 32
    /// The longest namespace name: room for `-` and a one-letter service name.
    public static let maxNamespaceNameLength = maxQualifiedServiceNameLength - 2
    /// The longest definition name (a DNS name, like Kubernetes' CRD names).
    public static let maxDefinitionNameLength = 253
    /// The longest kind.
    public static let maxKindLength = 63

    /// Checks a service name in `namespace`.
    public static func validateServiceName(_ name: String, namespace: String, field: String = "metadata.name") throws(StewardError) {
        try validateDNSLabel(name, what: "service name", field: field)
        let qualified = "\(namespace)-\(name)"
        let length = qualified.utf8.count
        guard length <= maxQualifiedServiceNameLength else {
            throw .invalidInput(
                "service name '\(name)' is too long: '\(qualified)' has \(length) characters, at most \(maxQualifiedServiceNameLength) are allowed including the '<namespace>-' prefix",
                field: field)
        }
    }

    /// Checks a namespace name: the service-name rules, at most ``maxNamespaceNameLength``
    /// characters.
    public static func validateNamespaceName(_ name: String, field: String = "name") throws(StewardError) {
        try validateDNSLabel(name, what: "namespace name", field: field)
        guard name.utf8.count <= maxNamespaceNameLength else {
            throw .invalidInput(
                "namespace name '\(name)' is too long: \(name.utf8.count) characters, at most \(maxNamespaceNameLength) are allowed",
                field: field)
        }
    }

    /// Checks a definition name: lower-case letters, digits, `-` and `.`, beginning and ending
    /// with a letter or digit, such as `executordeployments.compute.colonies.io`.
    public static func validateDefinitionName(_ name: String, field: String = "metadata.name") throws(StewardError) {
        guard !name.isEmpty else {
            throw .invalidInput("definition name must not be empty", field: field)
        }
        guard name.utf8.count <= maxDefinitionNameLength else {
            throw .invalidInput(
                "definition name is too long: \(name.utf8.count) characters, at most \(maxDefinitionNameLength) are allowed",
                field: field)
        }
        for c in name.unicodeScalars where !(isLowerAlnum(c) || c == "-" || c == ".") {
            throw .invalidInput(
                "definition name '\(name)' may contain only lower-case letters (a-z), digits (0-9), '-' and '.'; found '\(c)'",
                field: field)
        }
        guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
            isLowerAlnum(first), isLowerAlnum(last)
        else {
            throw .invalidInput(
                "definition name '\(name)' must begin and end with a lower-case letter or a digit", field: field)
        }
    }

    /// Checks the name of an executor or a node (`what`: "executor name", "node name"): 1 to
    /// 128 ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit (a host name
    /// fits).
    public static func validateMachineName(_ name: String, what: String, field: String) throws(StewardError) {
        let bytes = Array(name.utf8)
        func alphanumeric(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }
        guard !bytes.isEmpty, bytes.count <= 128, bytes.allSatisfy({ alphanumeric($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F }),
            alphanumeric(bytes[0])
        else {
            throw .invalidInput(
                "\(what) '\(name)' is not valid: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit",
                field: field)
        }
    }

    /// Checks a kind: an ASCII letter first, then letters and digits (`ExecutorDeployment`).
    public static func validateKind(_ kind: String, field: String = "kind") throws(StewardError) {
        guard let first = kind.unicodeScalars.first else {
            throw .invalidInput("kind must not be empty", field: field)
        }
        guard isASCIILetter(first) else {
            throw .invalidInput("kind '\(kind)' must begin with a letter (A-Z or a-z)", field: field)
        }
        for c in kind.unicodeScalars where !(isASCIILetter(c) || isDigit(c)) {
            throw .invalidInput("kind '\(kind)' may contain only letters and digits; found '\(c)'", field: field)
        }
        guard kind.utf8.count <= maxKindLength else {
            throw .invalidInput(
                "kind '\(kind)' is too long: \(kind.utf8.count) characters, at most \(maxKindLength) are allowed",
                field: field)
        }
    }

    private static func validateDNSLabel(_ name: String, what: String, field: String) throws(StewardError) {
        guard let first = name.unicodeScalars.first else {
            throw .invalidInput("\(what) must not be empty", field: field)
        }
        guard first >= "a" && first <= "z" else {
            throw .invalidInput("\(what) '\(name)' must begin with a lower-case letter (a-z)", field: field)
        }
        for c in name.unicodeScalars where !(isLowerAlnum(c) || c == "-") {
            throw .invalidInput(
                "\(what) '\(name)' may contain only lower-case letters (a-z), digits (0-9) and hyphens; found '\(c)'",
                field: field)
        }
        guard name.unicodeScalars.last != "-" else {
            throw .invalidInput(
                "\(what) '\(name)' must end with a lower-case letter or a digit, not a hyphen", field: field)
        }
    }

    private static func isLowerAlnum(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || isDigit(c)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
    }
}
