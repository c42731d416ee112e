import JSONSchema
import StewardCore
import Testing

/// The built-in kind's schema and the spec's own checks: defaults, and errors that name the field.
@Suite("ProcessDeployment: schema, defaults and admission errors")
struct ProcessDeploymentSpecTests {
    static func validator() throws -> SchemaValidator {
        try SchemaValidator(ProcessDeploymentDefinition.schema, options: .init(allowsExponentialPatterns: false))
    }

    static func spec(_ text: String) throws -> JSON { try JSON(parsing: Array(text.utf8)) }

    @Test func theDefinitionCompilesAndSuppliesTheDocumentedDefaults() throws {
        let definition = ProcessDeploymentDefinition.definition
        #expect(definition.kind == "ProcessDeployment")
        #expect(definition.spec.group == "steward.io")
        #expect(definition.spec.handler?.executorType == "steward-process")
        let validator = try Self.validator()
        let withDefaults = validator.applyingDefaults(to: try Self.spec(#"{"command": ["/bin/sleep", "100"]}"#))
        #expect(validator.validate(withDefaults).isEmpty)
        let spec = try ProcessDeploymentSpec(json: withDefaults)
        #expect(spec.replicas == 1)
        #expect(spec.enabled)
        #expect(spec.restartPolicy == .always)
        #expect(spec.backoff.initial == .milliseconds(100))
        #expect(spec.backoff.factor == 2)
        #expect(spec.backoff.max == .seconds(300))
        #expect(spec.backoff.resetAfter == .seconds(10))
        #expect(spec.stopSignal == 15)
        #expect(spec.stopTimeout == .seconds(10))
        #expect(spec.port == nil)
    }

    @Test func valuesInTheirForms() throws {
        let spec = try ProcessDeploymentSpec(
            json: try Self.spec(
                #"{"command": ["x"], "memoryLimit": "150Mi", "memoryReservation": 1048576, "stopSignal": "SIGUSR1", "stopTimeout": "1.5s", "port": 0, "healthCheck": {"http": {"path": "/health"}, "interval": "2s"}}"#
            ))
        #expect(spec.memoryLimit == Int64(150 * 1_048_576))
        #expect(spec.memoryReservation == 1_048_576)
        #expect(spec.stopSignal == 10)
        #expect(spec.stopTimeout == .milliseconds(1500))
        #expect(spec.port == 0)
        #expect(spec.healthCheck?.probe == .http(path: "/health", port: nil))
        #expect(spec.healthCheck?.interval == .seconds(2))
        #expect(SpecValues.formatMemory(150 * 1_048_576) == "150Mi")
    }

    @Test(arguments: [
        (#"{"command": []}"#, "spec.command"),
        (#"{"command": ["x"], "memoryLimit": "512Ki"}"#, "spec.memoryLimit"),
        (#"{"command": ["x"], "memoryLimit": 1000}"#, "spec.memoryLimit"),
        (#"{"command": ["x"], "memoryLimit": "lots"}"#, "spec.memoryLimit"),
        (#"{"command": ["x"], "stopSignal": "SIGFOO"}"#, "spec.stopSignal"),
        (#"{"command": ["x"], "replicas": -1}"#, "spec.replicas"),
        (#"{"command": ["x"], "port": 70000}"#, "spec.port"),
        (#"{"command": ["x"], "workingDir": "relative"}"#, "spec.workingDir"),
        (#"{"command": ["x"], "stopTimeout": "soon"}"#, "spec.stopTimeout"),
        (#"{"command": ["x"], "restartPolicy": "sometimes"}"#, "spec.restartPolicy"),
        (#"{"command": ["x"], "healthCheck": {"interval": "1s"}}"#, "spec.healthCheck"),
        (#"{"command": ["x"], "env": {"1A": "x"}}"#, "spec.env.1A"),
        (#"{"command": ["x"], "memoryLimit": "1Gi", "memoryReservation": "2Gi"}"#, "spec.memoryReservation"),
    ])
    func badSpecsAreRefusedNamingTheField(text: String, field: String) throws {
        #expect {
            try ProcessDeploymentSpec(json: try Self.spec(text))
        } throws: { error in
            (error as? StewardError)?.field == field && (error as? StewardError)?.code == .invalidInput
        }
    }

    @Test(arguments: [
        #"{"command": ["x"], "replicas": -1}"#,
        #"{"command": ["x"], "port": 70000}"#,
        #"{"command": ["x"], "stopSignal": "SIGFOO"}"#,
        #"{"command": ["x"], "unknown": 1}"#,
        #"{"command": ["x"], "memoryLimit": "lots"}"#,
    ])
    func theSchemaRefusesWhatItCanSay(text: String) throws {
        let validator = try Self.validator()
        #expect(!validator.validate(validator.applyingDefaults(to: try Self.spec(text))).isEmpty)
    }

    @Test func durationsAndSizes() {
        #expect(SpecValues.duration("100ms") == .milliseconds(100))
        #expect(SpecValues.duration("5m") == .seconds(300))
        #expect(SpecValues.duration("2h") == .seconds(7200))
        #expect(SpecValues.duration("0s") == .zero)
        #expect(SpecValues.duration("5") == nil)
        #expect(SpecValues.duration("-1s") == nil)
        #expect(SpecValues.memory("1Gi") == 1_073_741_824)
        #expect(SpecValues.memory("1G") == 1_000_000_000)
        #expect(SpecValues.memory("1.5Mi") == 1_572_864)
        #expect(SpecValues.memory("12") == 12)
        #expect(SpecValues.memory("1e9") == nil)
        #expect(SpecValues.signal("term") == 15)
        #expect(SpecValues.signal("SIGKILL") == 9)
        #expect(SpecValues.signal("FOO") == nil)
    }
}
