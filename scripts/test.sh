#!/usr/bin/env bash
# Runs every test: `bash scripts/test.sh` (the README's and CI's test command).
#
# Three runs of `swift test`, each suite group in a process of its own, so that none starves the
# others of two cores and one cooperative thread pool: the in-process API and store tests
# (their servers need the pool), the golden tests of the built binary (StewardCLITests, which
# block on the processes they run), and the supervisor's tests (StewardSupervisorTests, which
# start real processes -- HTTP servers, memory hogs, crash loops -- and time them).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests "$@"
swift test --skip-build --skip 'StewardSupervisorTests|StewardCLITests' "$@"
swift test --skip-build --filter StewardCLITests "$@"
swift test --skip-build --filter StewardSupervisorTests "$@"
