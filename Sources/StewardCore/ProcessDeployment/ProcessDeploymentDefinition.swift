import JSONSchema

/// The built-in `ProcessDeployment` kind (group `steward.io`), which every namespace has: a
/// service of it is run by Steward's own supervisor as local processes.
///
/// The server installs it in each namespace (existing and new) and updates a stored copy that
/// differs (a newer Steward changed it); its schema is the reference for the fields and their defaults, and
/// ``ProcessDeploymentSpec`` checks what the schema cannot say.
public enum ProcessDeploymentDefinition {
    public static let kind = "ProcessDeployment"
    public static let group = "steward.io"
    /// The definition's name.
    public static let name = "processdeployments.steward.io"
    /// The executor type of the built-in supervisor.
    public static let executorType = "steward-process"
    /// Seconds between the supervisor's keep-alive resyncs (status is rewritten at least this often).
    public static let keepAliveInterval = 30
    /// The definition as stored in each namespace.
    public static var definition: ServiceDefinition {
        // The text is a constant of this file, parsed by tests: it cannot fail.
        try! ServiceDefinition(json: json)
    }

    /// The definition's JSON.
    public static var json: JSON {
        var definition = try! JSON(parsing: Array(definitionText.utf8))
        if case .object(var o) = definition, case .object(var spec) = o["spec"] {
            spec["schema"] = schema
            o["spec"] = .object(spec)
            definition = .object(o)
        }
        return definition
    }

    /// The schema of the spec.
    public static var schema: JSON { try! JSON(parsing: Array(schemaText.utf8)) }

    private static let definitionText = """
        {
          "metadata": {"name": "\(name)"},
          "spec": {
            "group": "\(group)", "version": "v1",
            "names": {"kind": "\(kind)", "plural": "processdeployments", "singular": "processdeployment"},
            "scope": "Namespaced",
            "handler": {"executorType": "\(executorType)", "functionName": "reconcile", "reconcileInterval": \(keepAliveInterval)}
          }
        }
        """

    private static let duration = #"{"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$"}"#
    private static let memory = #"""
        {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|K|M|G|T)?$"}]}
        """#
    private static let probePort = #"{"type": "integer", "minimum": 1, "maximum": 65535}"#

    private static let schemaText = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "required": ["command"],
          "properties": {
            "command": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1},
                        "description": "The program and its arguments (argv)."},
            "env": {"type": "object", "additionalProperties": {"type": "string"}, "default": {},
                    "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}},
            "workingDir": {"type": "string", "pattern": "^/"},
            "replicas": {"type": "integer", "minimum": 0, "maximum": \(ProcessDeploymentSpec.maximumReplicas), "default": 1},
            "enabled": {"type": "boolean", "default": true},
            "restartPolicy": {"enum": ["always", "on-failure", "never"], "default": "always"},
            "backoff": {
              "type": "object", "additionalProperties": false, "default": {},
              "properties": {
                "initial": \(duration.dropLast()), "default": "100ms"},
                "factor": {"type": "number", "minimum": 1, "maximum": 10, "default": 2},
                "max": \(duration.dropLast()), "default": "5m"},
                "resetAfter": \(duration.dropLast()), "default": "10s"}
              }
            },
            "stopSignal": {"type": "string", "pattern": "^(SIG)?(HUP|INT|QUIT|KILL|USR1|USR2|TERM|ALRM|WINCH|CONT|STOP|TSTP|PWR)$", "default": "TERM"},
            "stopTimeout": \(duration.dropLast()), "default": "10s"},
            "memoryReservation": \(memory),
            "memoryLimit": \(memory),
            "port": {"type": "integer", "minimum": 0, "maximum": 65535,
                     "description": "The port an instance listens on (given as PORT); 0: a free port picked per instance."},
            "healthCheck": {
              "type": "object", "additionalProperties": false,
              "oneOf": [{"required": ["exec"]}, {"required": ["http"]}, {"required": ["tcp"]}],
              "properties": {
                "exec": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                "http": {"type": "object", "additionalProperties": false,
                         "properties": {"path": {"type": "string", "pattern": "^/", "default": "/"}, "port": \(probePort)}},
                "tcp": {"type": "object", "additionalProperties": false, "properties": {"port": \(probePort)}},
                "interval": \(duration.dropLast()), "default": "10s"},
                "timeout": \(duration.dropLast()), "default": "1s"},
                "failureThreshold": {"type": "integer", "minimum": 1, "default": 3},
                "startPeriod": \(duration.dropLast()), "default": "0s"}
              }
            },
            "placement": {
              "type": "object", "additionalProperties": false,
              "properties": {
                "maxPerNode": {"type": "integer", "minimum": 1},
                "nodes": {"type": "array", "items": {"type": "string", "minLength": 1}},
                "nodeSelector": {"type": "object", "additionalProperties": {"type": "string"}},
                "exclusive": {"type": "string", "minLength": 1}
              }
            }
          }
        }
        """
}
