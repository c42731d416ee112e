import ArgumentParser
import Logging

/// `--log-level` takes swift-log's level names (`trace` … `critical`).
extension Logger.Level: @retroactive ExpressibleByArgument {}
