import Logging
import ServiceLifecycle
import StewardStore

/// Keeps the store open while the server runs and closes it (committing queued writes) at
/// shutdown, after the HTTP server has stopped; then gives up the data directory's lock.
struct StoreService: Service {
    let store: SQLiteStore
    let lock: DataDirectoryLock
    var logger: Logger?

    func run() async throws {
        try? await gracefulShutdown()
        logger?.info("shutting down: requests finished, closing the store")
        store.close()
        logger?.info("store closed")
        lock.release()
    }
}
