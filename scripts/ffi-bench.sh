#!/usr/bin/env bash
# The FFI benchmarks of issue 4, in one run:
# 1. crossing the FFI from Kotlin on the JVM (JNA) versus the same calls from Rust: a trivial
#    call, a check-in write (a durable commit), and the all-time review of a generated
#    ten-year journal; both against the same release build, medians of repeated samples;
# 2. the size of the stripped release cdylib for x86_64, and for aarch64-unknown-linux-gnu
#    (a stand-in for Android arm64) when that target and Debian's cross linker are there.
# Usage: bash scripts/ffi-bench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/toolchains.sh
ensure_kotlin && ensure_jna || { echo "kotlin toolchain unavailable"; exit 2; }

# Two commands: with --bin, cargo would build only that binary and leave a stale cdylib.
cargo build -q --release -p waymark-ffi
cargo build -q --release -p waymark-scenarios --bin ffi-baseline
cargo build -q -p waymark-ffi
cargo build -q -p waymark-ffi --features bindgen --bin uniffi-bindgen
OUT="$ROOT/target/ffi-bench"
rm -rf "$OUT" && mkdir -p "$OUT"
# The stripped release library has no uniffi metadata; the debug build has the same interface.
target/debug/uniffi-bindgen generate --no-format --library target/debug/libwaymark_ffi.so \
    --language kotlin --out-dir "$OUT/generated" >/dev/null
"$KOTLINC" -nowarn -jvm-target 17 -cp "$JNA_JAR" $(find "$OUT/generated" -name '*.kt') \
    tests/kotlin/bench/FfiBench.kt -d "$OUT/bench.jar" 2>&1 | grep -v '^warning' || true

echo "running the Rust baseline..."
target/release/ffi-baseline >"$OUT/rust.txt"
echo "running the Kotlin benchmark (JVM, JNA)..."
java -Djna.library.path="$ROOT/target/release" -cp "$OUT/bench.jar:$JNA_JAR:$KOTLIN_STDLIB" \
    app.waymark.bench.FfiBenchKt >"$OUT/kotlin.txt"

echo
echo "== FFI crossing: Kotlin (JVM + JNA) vs Rust, same run, release build =="
printf '%-18s %14s %14s %8s\n' operation rust kotlin ratio
join <(sort "$OUT/rust.txt") <(sort "$OUT/kotlin.txt") | while read -r name rust kotlin; do
    awk -v n="$name" -v r="$rust" -v k="$kotlin" 'BEGIN {
        unit = "ns"; d = 1
        if (r > 1e6) { unit = "ms"; d = 1e6 } else if (r > 1e3) { unit = "us"; d = 1e3 }
        printf "%-18s %11.1f %s %11.1f %s %8.2f\n", n, r / d, unit, k / d, unit, k / r }'
done
echo "(target: review_ten_years ratio at most 1.5)"

echo
echo "== stripped release cdylib size (target: at most 3 MB) =="
size_of() { stat -c %s "$1" | awk '{ printf "%d bytes (%.2f MB, %.2f MiB)", $1, $1 / 1e6, $1 / 1048576 }'; }
echo "x86_64-unknown-linux-gnu:  $(size_of target/release/libwaymark_ffi.so)"
if rustup target list --installed 2>/dev/null | grep -q aarch64-unknown-linux-gnu \
    && command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
    CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc \
        cargo build -q --release -p waymark-ffi --target aarch64-unknown-linux-gnu
    echo "aarch64-unknown-linux-gnu: $(size_of target/aarch64-unknown-linux-gnu/release/libwaymark_ffi.so)"
else
    echo "aarch64-unknown-linux-gnu: not measured (rustup target add aarch64-unknown-linux-gnu; apt-get install gcc-aarch64-linux-gnu)"
fi
