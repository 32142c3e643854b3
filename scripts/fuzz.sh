#!/usr/bin/env bash
# Coverage-guided fuzzing with AFL++ through cargo-afl (stable Rust; see fuzz/README.md).
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Runs each target (default: all) for SECONDS (default 30) from its committed corpus in
# fuzz/corpus/TARGET, two at a time, and prints one line per target: executions, corpus size,
# crashes, hangs. Exit 1 if any target found a crash or a hang (the inputs are kept under
# target/fuzz-out/TARGET/default/crashes or hangs), 2 when the fuzzer cannot be had.
# FUZZ_SAVE_CORPUS=1 copies what each run discovered back into fuzz/corpus/TARGET.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SECONDS_EACH="${1:-30}"
shift || true
ALL=(envelope slot_params backup_file backup_payload body recovery_code cli_parsers merge sync_files)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")

if ! cargo afl --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-afl (builds AFL++; a few minutes)"
    cargo install --locked cargo-afl >/dev/null 2>&1 || cargo install cargo-afl >/dev/null 2>&1 \
        || { echo "fuzz: cargo-afl could not be installed"; echo "fuzz: 0 passed, 0 failed"; exit 2; }
fi
# AFL++ is built once per toolchain; building it again when it exists is refused, harmlessly.
cargo afl config --build >/dev/null 2>&1 || true

echo "fuzz: building ${#TARGETS[@]} targets with AFL++ instrumentation"
(cd fuzz && cargo afl build --release -q) \
    || { echo "fuzz: build failed"; echo "fuzz: 0 passed, 1 failed"; exit 1; }

OUT="$ROOT/target/fuzz-out"
mkdir -p "$OUT"
# No core dumps setup or CPU frequency governor here (containers, CI): tell AFL++ so.
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 \
    AFL_NO_AFFINITY=1 AFL_QUIET=1

run_one() {
    local target="$1"
    rm -rf "$OUT/$target"
    # -t: an input that runs longer is a hang: 2 s, except for the backup file, whose header
    # may name Argon2id costs up to the ceilings (1 GiB, 10 passes: up to about 20 s here) and
    # must be derived to tell a wrong passphrase from damage; -m none: memory is bounded by
    # the code under test (ceilings), not by AFL's limit.
    local timeout=2000
    [ "$target" = backup_file ] && timeout=30000
    cargo afl fuzz -i "fuzz/corpus/$target" -o "$OUT/$target" -V "$SECONDS_EACH" -t "$timeout" -m none \
        "fuzz/target/release/$target" >"$OUT/$target.log" 2>&1
}

FAILED=0
CLEAN=0
FOUND=0
i=0
while [ $i -lt ${#TARGETS[@]} ]; do
    run_one "${TARGETS[$i]}" &
    first=$!
    if [ $((i + 1)) -lt ${#TARGETS[@]} ]; then
        run_one "${TARGETS[$((i + 1))]}" &
        wait $!
    fi
    wait $first
    i=$((i + 2))
done

for target in "${TARGETS[@]}"; do
    stats="$OUT/$target/default/fuzzer_stats"
    if [ ! -f "$stats" ]; then
        echo "fuzz: $target did not run (see $OUT/$target.log)"
        FAILED=1
        FOUND=$((FOUND + 1))
        continue
    fi
    value() { awk -v k="$1" '$1 == k { print $3 }' "$stats"; }
    crashes=$(value saved_crashes)
    hangs=$(value saved_hangs)
    printf 'fuzz: %-15s %4ss %10s execs  corpus %5s  crashes %s  hangs %s\n' "$target" \
        "$(value run_time)" "$(value execs_done)" "$(value corpus_count)" "$crashes" "$hangs"
    if [ "${crashes:-1}" != "0" ] || [ "${hangs:-1}" != "0" ]; then
        FAILED=1
        FOUND=$((FOUND + 1))
    else
        CLEAN=$((CLEAN + 1))
    fi
    if [ "${FUZZ_SAVE_CORPUS:-0}" = "1" ]; then
        for f in "$OUT/$target/default/queue"/id:*; do
            [ -f "$f" ] || continue
            cp "$f" "fuzz/corpus/$target/$(basename "$f" | cut -d, -f1 | tr ':' '-')"
        done
    fi
done
[ $FAILED -eq 0 ] && echo "fuzz: 0 crashes, 0 hangs" || echo "fuzz: FINDINGS (inputs under $OUT)"
echo "fuzz: $CLEAN passed, $FOUND failed"
exit $FAILED
