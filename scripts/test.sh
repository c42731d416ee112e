#!/usr/bin/env bash
# Runs every test: `bash scripts/test.sh` (the README's and CI's test command).
#
# Two runs of `swift test`: the supervisor's tests (StewardSupervisorTests) start real processes
# (HTTP servers, memory hogs, crash loops) and time them, so they run in a process of their own,
# after the others, instead of sharing two cores and one cooperative thread pool with the
# in-process servers of the API tests.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests "$@"
swift test --skip-build --skip StewardSupervisorTests "$@"
swift test --skip-build --filter StewardSupervisorTests "$@"
