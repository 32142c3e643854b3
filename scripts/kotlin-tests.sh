#!/usr/bin/env bash
# Runs the Kotlin shell's JVM tests and the Kotlin scenario driver against the real cdylib
# (debug build), through the generated uniffi bindings and JNA, with JUnit 4.
# Prints "kotlin: N passed, N failed" as its last line. Exit 0 on success, 1 on a test
# failure, 2 when the toolchain cannot be had (the caller decides: skip, or fail under CI).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/toolchains.sh

ensure_kotlin && ensure_jna && ensure_coroutines || exit 2
JUNIT_JAR="$(_debian_jar junit4 '/junit4\.jar$')" || exit 2
HAMCREST_JAR="$(_debian_jar libhamcrest-java '/hamcrest\.jar$')" || exit 2

OUT="$ROOT/target/kotlin"
mkdir -p "$OUT"
cargo build -q -p waymark-ffi || exit 1
cargo build -q -p waymark-ffi --features bindgen --bin uniffi-bindgen || exit 1
rm -rf "$OUT/generated"
target/debug/uniffi-bindgen generate --no-format --library target/debug/libwaymark_ffi.so \
    --language kotlin --out-dir "$OUT/generated" >/dev/null || exit 1
# Nothing demo ships: the phone library is built without the story generator.
if grep -rq 'generateDemoStory' "$OUT/generated"; then
    echo "kotlin: the phone library exposes the demo story generator"; echo "kotlin: 0 passed, 1 failed"; exit 1
fi

CP="$JNA_JAR:$COROUTINES_JAR:$JUNIT_JAR:$HAMCREST_JAR"
# The portable shell code only: android/src/main/kotlin/app/waymark/android/ needs the
# Android SDK and is compiled by Gradle, not here.
SOURCES=$(find "$OUT/generated" android/src/main/kotlin/app/waymark -maxdepth 1 -name '*.kt'; \
          find "$OUT/generated" -name '*.kt'; find android/src/test/kotlin tests/kotlin -name '*.kt' -not -path '*/bench/*')
SOURCES=$(printf '%s\n' $SOURCES | sort -u)
echo "kotlin: compiling $(printf '%s\n' $SOURCES | wc -l) files with $("$KOTLINC" -version 2>&1 | head -n1)"
rm -f "$OUT/tests.jar" # a failed compile must never run the last build's jar
"$KOTLINC" -nowarn -jvm-target 17 -cp "$CP" $SOURCES -d "$OUT/tests.jar" 2>&1 | grep -v '^warning' || true
[ -f "$OUT/tests.jar" ] || { echo "kotlin: compilation failed"; echo "kotlin: 0 passed, 1 failed"; exit 1; }

java -Djna.library.path="$ROOT/target/debug" -Dwaymark.scenarios="$ROOT/tests/scenarios" \
    -cp "$OUT/tests.jar:$CP:$KOTLIN_STDLIB" org.junit.runner.JUnitCore \
    app.waymark.WaymarkShellTest app.waymark.scenarios.ScenarioTest >"$OUT/junit.log" 2>&1
STATUS=$?
grep -vE '^\s+at (org\.junit|sun\.|java\.|jdk\.|kotlin\.)' "$OUT/junit.log" | tail -n 40
RUN=$(grep -oE 'OK \(([0-9]+) tests?\)' "$OUT/junit.log" | grep -oE '[0-9]+' | head -n1)
if [ -n "$RUN" ]; then
    echo "kotlin: $RUN passed, 0 failed"
else
    TOTAL=$(grep -oE 'Tests run: [0-9]+' "$OUT/junit.log" | grep -oE '[0-9]+' | head -n1)
    FAILED=$(grep -oE 'Failures: [0-9]+' "$OUT/junit.log" | grep -oE '[0-9]+' | head -n1)
    echo "kotlin: $(( ${TOTAL:-0} - ${FAILED:-1} )) passed, ${FAILED:-1} failed"
fi
[ $STATUS -eq 0 ] || exit 1
