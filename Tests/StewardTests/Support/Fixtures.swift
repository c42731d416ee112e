import JSONSchema

/// Documents used across the tests: the seed's ExecutorDeployment definition and service.
enum Fixtures {
    static let executorDeploymentDefinition: JSON = [
        "metadata": ["name": "executordeployments.compute.colonies.io"],
        "spec": [
            "group": "compute.colonies.io",
            "version": "v1",
            "names": ["kind": "ExecutorDeployment", "plural": "executordeployments", "singular": "executordeployment"],
            "scope": "Namespaced",
            "schema": [
                "type": "object",
                "properties": [
                    "image": ["type": "string", "description": "Container image to deploy"],
                    "replicas": ["type": "number", "description": "Number of instances to run", "default": 1],
                    "executorType": ["type": "string", "description": "Type of executor instances"],
                    "ports": [
                        "type": "array",
                        "items": [
                            "type": "object",
                            "properties": [
                                "name": ["type": "string"],
                                "port": ["type": "number", "maximum": 65535],
                            ],
                        ],
                    ],
                ],
                "required": ["image", "executorType"],
            ],
            "handler": ["executorType": "docker-reconciler", "functionName": "reconcile"],
        ],
    ]

    static func service(_ name: String = "docker-executor", replicas: Int? = 3, image: String = "colonyos/dockerexecutor:v1.0.5") -> JSON {
        var spec: JSON = [
            "image": .string(image),
            "executorType": "docker-reconciler",
            "executorName": "docker-executor",
            "env": ["COLONIES_SERVER_HOST": "colonies-server", "COLONIES_SERVER_PORT": "50080"],
        ]
        if let replicas { spec["replicas"] = .int(replicas) }
        return ["kind": "ExecutorDeployment", "metadata": ["name": .string(name)], "spec": spec]
    }

    /// A definition of `kind` without a schema (any spec is accepted).
    static func schemalessDefinition(kind: String, name: String) -> JSON {
        ["metadata": ["name": .string(name)], "spec": ["names": ["kind": .string(kind)]]]
    }
}
