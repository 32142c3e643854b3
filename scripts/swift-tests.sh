#!/usr/bin/env bash
# Runs the Swift package's XCTest tests (ios/Tests/WaymarkTests) and the Swift scenario
# driver (tests/swift, as ios/Tests/ScenarioTests) with `swift test`, against the real
# library (debug build). Swift comes from PATH or from the trixie root (scripts/toolchains.sh).
# Prints "swift: N passed, N failed" as its last line. Exit 0 on success, 1 on a test
# failure, 2 when the toolchain cannot be had.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/toolchains.sh

ensure_swift "$ROOT" || exit 2
trap swift_cleanup EXIT
ios/generate-bindings.sh >/dev/null || { echo "swift: generating bindings failed"; exit 1; }

LIBDIR="$ROOT/target/debug"
LOG="$ROOT/target/swift-test.log"
export LD_LIBRARY_PATH="$LIBDIR" WAYMARK_SCENARIOS="$ROOT/tests/scenarios"
"${SWIFT_RUN[@]}" "$ROOT/ios" swift test -Xlinker -L"$LIBDIR" -Xlinker -rpath -Xlinker "$LIBDIR" >"$LOG" 2>&1
STATUS=$?
grep -E "error:|Test Case .* (passed|failed)|Executed [0-9]+ tests|XCTAssert|failed \(" "$LOG" | grep -v "^\s*$" | tail -n 30
if [ $STATUS -ne 0 ] && ! grep -q "Executed" "$LOG"; then
    tail -n 30 "$LOG"
fi
PASSED=$(grep -cE "Test Case .* passed" "$LOG")
FAILED=$(grep -cE "Test Case .* failed" "$LOG")
# The package builds in Swift 6 language mode with no warnings (a fresh build shows them
# all; an incremental one only for the files it recompiled).
WARNINGS=$(grep -E "(Sources|Tests)/.*: warning:" "$LOG" | sort -u)
if [ -n "$WARNINGS" ]; then
    echo "$WARNINGS" | head -n 20
    echo "swift: the package built with warnings in Swift 6 mode"
    FAILED=$((FAILED + 1)); STATUS=1
fi
[ $STATUS -ne 0 ] && [ "$FAILED" -eq 0 ] && FAILED=1
echo "swift: $PASSED passed, $FAILED failed"
[ $STATUS -eq 0 ]
