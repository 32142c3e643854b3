#!/usr/bin/env bash
# Runs every Waymark test: formatting, lints, and all tests of the workspace (unit,
# integration, doc tests). Prints a one-line summary at the end and exits non-zero on any
# failure. Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
log_dir=target/test-logs
mkdir -p "$log_dir"

if ! command -v cargo >/dev/null 2>&1; then
  echo "missing: cargo (install Rust with rustup)" >&2
  exit 2
fi
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy

step() { printf '\n== %s ==\n' "$1"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (-D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test --workspace"
set +e
cargo test --workspace --locked 2>&1 | tee "$log_dir/cargo-test.log"
status=${PIPESTATUS[0]}
set -e

count() { # sums the "N <word>" figures of every "test result:" line
  awk -v word="$1" '/^test result:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ "^" word) n += $i } END { print n + 0 }' \
    "$log_dir/cargo-test.log"
}
passed=$(count passed)
failed=$(count failed)
ignored=$(count ignored)
elapsed=$(( $(date +%s) - started ))

echo
echo "rustfmt ok, clippy ok, cargo test exit $status, ${elapsed}s"
echo "summary: ${passed} passed, ${failed} failed, ${ignored} skipped"
exit "$status"
