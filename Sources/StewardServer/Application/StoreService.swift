import ServiceLifecycle
import StewardStore

/// Keeps the store open while the server runs and closes it (committing queued writes) at
/// shutdown, after the HTTP server has stopped.
struct StoreService: Service {
    let store: SQLiteStore

    func run() async throws {
        try? await gracefulShutdown()
        store.close()
    }
}
