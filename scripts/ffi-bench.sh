#!/usr/bin/env bash
# The FFI benchmarks of issue 4, in one run:
# 1. crossing the FFI from Kotlin on the JVM (JNA) versus the same calls from Rust: a trivial
#    call, a check-in write (a durable commit), and on a warm generated ten-year journal the
#    home screen, a month's progress and the all-time review; both against the same release
#    build, medians of repeated samples;
# 2. the size of the stripped release cdylib for x86_64, and for aarch64-unknown-linux-gnu
#    (a stand-in for Android arm64) when that target and Debian's cross linker are there.
# Usage: bash scripts/ffi-bench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/toolchains.sh
ensure_kotlin && ensure_jna || { echo "kotlin toolchain unavailable"; exit 2; }

# Two commands: with --bin, cargo would build only that binary and leave a stale cdylib.
# `bench` adds benchNative (the Rust baseline timed inside the JVM); apps never build it.
cargo build -q --release -p waymark-ffi --features bench
cargo build -q --release -p waymark-scenarios --bin ffi-baseline
cargo build -q -p waymark-ffi --features bench
cargo build -q -p waymark-ffi --features bindgen,bench --bin uniffi-bindgen
OUT="$ROOT/target/ffi-bench"
rm -rf "$OUT" && mkdir -p "$OUT"
# The stripped release library has no uniffi metadata; the debug build has the same interface.
target/debug/uniffi-bindgen generate --no-format --library target/debug/libwaymark_ffi.so \
    --language kotlin --out-dir "$OUT/generated" >/dev/null
# A compile error stops the script (the bench would otherwise time nothing).
"$KOTLINC" -nowarn -jvm-target 17 -cp "$JNA_JAR" $(find "$OUT/generated" -name '*.kt') \
    tests/kotlin/bench/FfiBench.kt -d "$OUT/bench.jar"

# The machine's speed drifts over minutes, so the two sides run alternately, three rounds
# each, and each operation's figure is its median over the rounds.
ROUNDS=3
for round in $(seq 1 $ROUNDS); do
    echo "round $round of $ROUNDS: Rust baseline, then Kotlin (JVM, JNA)..."
    target/release/ffi-baseline >"$OUT/rust.$round.txt"
    java -Djna.library.path="$ROOT/target/release" -cp "$OUT/bench.jar:$JNA_JAR:$KOTLIN_STDLIB" \
        app.waymark.bench.FfiBenchKt >"$OUT/kotlin.$round.txt"
done
# "name value" lines of every round -> "name median" lines.
median_of() {
    cat "$@" | sort -k1,1 -k2,2g | awk '
        { name[NR] = $1; value[NR] = $2 }
        END {
            i = 1
            while (i <= NR) {
                j = i; while (j + 1 <= NR && name[j + 1] == name[i]) j++
                n = j - i + 1; m = i + int((n - 1) / 2)
                print name[i], (n % 2 ? value[m] : (value[m] + value[m + 1]) / 2)
                i = j + 1
            }
        }'
}
median_of "$OUT"/rust.*.txt >"$OUT/rust.txt"
median_of "$OUT"/kotlin.*.txt >"$OUT/kotlin.txt"

echo
echo "== FFI crossing: Kotlin (JVM + JNA) vs Rust, release build, median of $ROUNDS rounds =="
echo "rust: a Rust program calling the same methods; in JVM: the same Rust code timed natively"
echo "inside the JVM process, alternating with the Kotlin calls (the ratio is Kotlin / in JVM)"
printf '%-18s %12s %12s %12s %7s\n' operation rust "in JVM" kotlin ratio
join <(sort "$OUT/rust.txt") <(sort "$OUT/kotlin.txt") | while read -r name rust kotlin; do
    native=$(awk -v n="native.$name" '$1 == n { print $2 }' "$OUT/kotlin.txt")
    paired=$(awk -v n="paired.$name" '$1 == n { print $2 }' "$OUT/kotlin.txt")
    awk -v n="$name" -v r="$rust" -v k="${paired:-$kotlin}" -v j="${native:-0}" 'BEGIN {
        unit = "ns"; d = 1
        if (r > 1e6) { unit = "ms"; d = 1e6 } else if (r > 1e3) { unit = "us"; d = 1e3 }
        base = (j > 0) ? j : r
        if (j > 0) { jj = sprintf("%9.1f %s", j / d, unit) } else { jj = "        -" }
        printf "%-18s %9.1f %s %12s %9.1f %s %7.2f\n", n, r / d, unit, jj, k / d, unit, k / base }'
done
echo "(targets: home_ten_years at most 2 ms and at most 1.3x; review_ten_years at most 1.5x)"

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
