#!/usr/bin/env bash
# Runs every test: `bash scripts/test.sh` (the README's and CI's test command).
#
# Four runs of `swift test`, each suite group in a process of its own, so that none starves the
# others of two cores and one cooperative thread pool: the JSON Schema engine's tests (the
# official suite and the regex engine's: CPU-bound), the in-process API and store tests (their
# servers need the pool and answer within timeouts), the golden tests of the built binary
# (StewardCLITests, which block on the processes they run), and the supervisor's tests
# (StewardSupervisorTests, which start real processes -- HTTP servers, memory hogs, crash loops
# -- and time them).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests "$@"
swift test --skip-build --filter JSONSchemaTests "$@"
swift test --skip-build --skip 'JSONSchemaTests|StewardSupervisorTests|StewardCLITests' "$@"
swift test --skip-build --filter StewardCLITests "$@"
swift test --skip-build --filter StewardSupervisorTests "$@"
