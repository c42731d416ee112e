// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "steward",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "steward", targets: ["steward"]),
        .library(name: "JSONSchema", targets: ["JSONSchema"]),
        .library(name: "StewardClient", targets: ["StewardClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // JSON value type, parser, serializer and the JSON Schema compiler/validator. No dependencies.
        .target(name: "JSONSchema"),

        // Model types, name rules, errors, request signing: pure logic.
        .target(
            name: "StewardCore",
            dependencies: [
                "JSONSchema",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // The system SQLite library.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),

        // Durable store: SQLite (embedded default).
        .target(
            name: "StewardStore",
            dependencies: [
                "StewardCore", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // HTTP API, authentication, watch.
        .target(
            name: "StewardServer",
            dependencies: [
                "StewardCore", "StewardStore", "JSONSchema",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Typed, signing HTTP client.
        .target(
            name: "StewardClient",
            dependencies: [
                "StewardCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),

        // Linux calls Swift cannot make directly (variadic syscall, GNU posix_spawn extensions).
        .target(name: "CStewardSystem"),

        // The supervision core (instance state machines, restart policy, backoff, scale and
        // placement decisions, status) and the process runtime behind one interface: spawning,
        // exits from the kernel (pidfd), cgroups v1/v2, log files, health probes.
        .target(
            name: "StewardSupervisor",
            dependencies: [
                "StewardCore", "StewardClient", "JSONSchema", "CStewardSystem",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The executable: CLI and `steward server`. Thin.
        .executableTarget(
            name: "steward",
            dependencies: [
                "JSONSchema", "StewardCore", "StewardStore", "StewardServer", "StewardClient", "StewardSupervisor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks: `swift run -c release steward-bench --help`.
        .executableTarget(
            name: "steward-bench",
            dependencies: [
                "JSONSchema", "StewardCore", "StewardClient", "StewardServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema"]),
        .testTarget(name: "StewardSupervisorTests", dependencies: ["StewardSupervisor", "StewardCore", "JSONSchema"]),
        .testTarget(
            name: "StewardTests",
            dependencies: [
                "StewardCore", "StewardStore", "StewardServer", "StewardClient",
                // The crash test runs the built `steward server`.
                "steward",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // Golden tests: run the built `steward` binary.
        .testTarget(name: "StewardCLITests", dependencies: ["JSONSchema", "StewardClient", "steward"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
