#include <sqlite3.h>

/// `sqlite3_config` is variadic, which Swift cannot call. Turns SQLite's memory statistics on
/// or off: when on (the default), every allocation SQLite makes takes a process-wide mutex.
/// Must run before SQLite is initialized; returns SQLITE_MISUSE afterwards.
static inline int steward_sqlite3_config_memstatus(int on) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on);
}
