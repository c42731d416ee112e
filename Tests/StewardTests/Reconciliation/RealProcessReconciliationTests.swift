import Testing

/// The tests that start real `steward server` and executor processes, one suite at a time, so
/// that they do not load the machine all at once.
@Suite("Reconciliation with real processes", .serialized)
struct RealProcessReconciliationTests {}
