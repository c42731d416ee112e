import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import StewardCore
import StewardStore

/// The parts of a running Steward server that tests and tools may need.
public struct StewardServerComponents: Sendable {
    /// The store the server writes to.
    public let store: SQLiteStore
    /// The owner identity of namespace `default` (its key is `keys/owner.key`).
    public let owner: Identity
    /// The server identity (`keys/server.key`).
    public let server: Identity
}

/// Opens the data directory and store (creating them on first start) and builds the HTTP
/// application. The application runs the store as a service and closes it on shutdown.
///
/// - Parameters:
///   - logs: where the logs endpoint reads instance logs; nil: it answers 503 (no supervisor).
///   - operations: the node's supervisor for `check` and `signal`; nil: they answer 503.
///   - additionalServices: services that run beside the server's own (the node's supervisor),
///     made from its components.
///   - onRunning: called with the bound port once the server listens.
public func buildApplication(
    _ configuration: ServerConfiguration,
    logger: Logger? = nil,
    logs: (any InstanceLogSource)? = nil,
    operations: (any NodeOperations)? = nil,
    additionalServices: (StewardServerComponents) -> [any ServiceLifecycle.Service] = { _ in [] },
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> (application: some ApplicationProtocol, components: StewardServerComponents) {
    var logger = logger ?? Logger(label: "steward.server")
    logger.logLevel = configuration.logLevel
    let directory = DataDirectory(configuration: configuration)
    let identities = try directory.prepare()
    let store = try SQLiteStore(
        configuration: .init(
            path: configuration.databasePath,
            keepFinishedProcesses: configuration.reconciliation.keepFinishedProcesses),
        logger: logger)
    let router: Router<StewardRequestContext>
    do {
        _ = try await store.ensureNamespace(NamespacesController.adminNamespace, owner: identities.owner.id)
        let builtIns =
            configuration.installBuiltInKinds
            ? BuiltInKinds(store: store, serverIdentity: identities.server.id, logger: logger) : nil
        try await builtIns?.installEverywhere()
        router = try makeRouter(
            configuration: configuration, store: store, builtIns: builtIns, logs: logs, operations: operations)
    } catch {
        store.close()
        throw error
    }
    let components = StewardServerComponents(store: store, owner: identities.owner, server: identities.server)
    let limiter = ConnectionLimiter(limit: configuration.listener.effectiveMaxConnections)
    let application = Application(
        router: router,
        server: LimitedHTTP1Channel.builder(configuration.listener, limiter: limiter),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "steward",
            backlog: configuration.listener.backlog),
        services: [
            StoreService(store: store, lock: identities.lock, logger: logger),
            ReconciliationSweeper(
                store: store, configuration: configuration.reconciliation, clock: { Date() }, logger: logger),
            RetentionCompactor(store: store, retention: configuration.eventRetention, logger: logger),
        ] + additionalServices(components),
        onServerRunning: { channel in
            await onRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger)
    return (application, components)
}

/// The API's router: unsigned `/healthz` and `/openapi.yaml`, and the signed `/api/v1`.
func makeRouter(
    configuration: ServerConfiguration, store: SQLiteStore, builtIns: BuiltInKinds? = nil,
    logs: (any InstanceLogSource)? = nil, operations: (any NodeOperations)? = nil,
    clock: @escaping @Sendable () -> Date = { Date() }
) throws -> Router<StewardRequestContext> {
    let router = Router(context: StewardRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LimitsMiddleware(maxBodySize: configuration.maxBodySize))
    router.get("healthz") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
    }
    router.get("openapi.yaml") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/yaml"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }
    let now = Int64(clock().timeIntervalSince1970)
    let replays = ReplayGuard(
        stored: try store.signerWatermarks(), window: configuration.maxClockSkew, now: now,
        remembers: { store.isMemberOfAnyNamespace($0) },
        persist: { marks, forgetBelow in try await store.raiseSignerWatermarks(marks, forgetBelow: forgetBelow) })
    // Per-key tables cost as much as some twenty verifications: only for members' keys.
    let verifier = Ed25519Verifier(buildsTable: { store.isMemberOfAnyNamespace(Hex.encode($0)) })
    let api = router.group("api/v1")
        .add(
            middleware: SignatureMiddleware(
                nonces: NonceCache(window: configuration.maxClockSkew, now: now), replays: replays,
                maxClockSkew: configuration.maxClockSkew, clock: clock, verifier: verifier))
    let schemas = SchemaCache()
    NamespacesController(store: store, maxJSONDepth: configuration.maxJSONDepth, builtIns: builtIns).addRoutes(to: api)
    DefinitionsController(store: store, schemas: schemas, maxJSONDepth: configuration.maxJSONDepth).addRoutes(to: api)
    ServicesController(store: store, schemas: schemas, maxJSONDepth: configuration.maxJSONDepth).addRoutes(to: api)
    InstanceOperationsController(store: store, operations: operations, maxJSONDepth: configuration.maxJSONDepth)
        .addRoutes(to: api)
    WatchController(store: store, heartbeatInterval: configuration.watchHeartbeatInterval).addRoutes(to: api)
    LogsController(store: store, source: logs).addRoutes(to: api)
    ExecutorsController(
        store: store, configuration: configuration.reconciliation, maxJSONDepth: configuration.maxJSONDepth, clock: clock
    ).addRoutes(to: api)
    ProcessesController(
        store: store, configuration: configuration.reconciliation, maxJSONDepth: configuration.maxJSONDepth, clock: clock
    ).addRoutes(to: api)
    NodesController(store: store, gracePeriod: configuration.nodeGracePeriod, maxJSONDepth: configuration.maxJSONDepth, clock: clock)
        .addRoutes(to: api)
    return router
}

/// Runs `steward server` until SIGTERM or SIGINT: opens the store, listens, adds its context to
/// the client configuration, prints `Steward listening on http://HOST:PORT`, `Owner key: PATH`
/// and `Client configuration: PATH (context NAME, ...)`, and on a signal stops taking requests,
/// finishes those in flight, and closes the store.
///
/// - Parameters:
///   - logs: serves the logs endpoint (nil: 503).
///   - operations: the node's supervisor for `check` and `signal` (nil: 503).
///   - additionalServices: services that run beside the server (the node's supervisor), given
///     the server's components and its listening port once it is known.
public func runServer(
    _ configuration: ServerConfiguration,
    logs: (any InstanceLogSource)? = nil,
    operations: (any NodeOperations)? = nil,
    additionalServices: @escaping (StewardServerComponents, ListeningPort) -> [any ServiceLifecycle.Service] = { _, _ in [] }
) async throws {
    let logger = {
        var logger = Logger(label: "steward.server")
        logger.logLevel = configuration.logLevel
        return logger
    }()
    let ownerKeyPath = configuration.ownerKeyPath
    let listening = ListeningPort()
    let (application, _) = try await buildApplication(
        configuration, logger: logger, logs: logs, operations: operations,
        additionalServices: { additionalServices($0, listening) }
    ) { port in
        listening.set(port)
        let url = "http://\(configuration.host):\(port)"
        var contextLine: String?
        if configuration.writeClientConfig {
            let path =
                configuration.clientConfigPath
                ?? ServerConfiguration.defaultClientConfigPath(environment: ProcessInfo.processInfo.environment)
            do {
                contextLine = try configuration.registerClientContext(serverURL: url, at: path)
            } catch {
                logger.warning("could not write the client configuration \(path): \(error)")
            }
        }
        if configuration.printStartupLines {
            print("Steward listening on \(url)")
            print("Owner key: \(ownerKeyPath)")
            if let contextLine { print(contextLine) }
            fflush(nil)
        }
    }
    let listener = configuration.listener
    logger.info(
        "starting: data directory \(configuration.absoluteHome), address \(configuration.host):\(configuration.port), header timeout \(listener.headerTimeout.milliseconds) ms, idle timeout \(listener.idleTimeout.milliseconds) ms, at most \(listener.effectiveMaxConnections) connections"
    )
    do {
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    } catch let error as IOError where error.errnoCode == EADDRINUSE {
        throw StewardError(
            .unavailable, "\(configuration.host):\(configuration.port) is already in use (another steward server?); choose another with --port")
    }
    logger.info("stopped")
}
