import ArgumentParser

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Box-drawn tables for people.
    case table
    /// Pretty-printed JSON, as the API returns it.
    case json
    /// YAML, as `steward apply` reads it.
    case yaml
}
