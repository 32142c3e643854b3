#!/usr/bin/env bash
# Generates the Swift bindings and C headers for this package from the Rust library
# (uniffi library mode). Usage: ios/generate-bindings.sh [debug|release] [path/to/libwaymark_ffi]
# The library defaults to target/<profile>/libwaymark_ffi.{so,dylib}, built here if missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROFILE="${1:-debug}"
cd "$ROOT"
FLAG=""; [ "$PROFILE" = release ] && FLAG="--release"
LIB="${2:-}"
if [ -z "$LIB" ]; then
    cargo build -q $FLAG -p waymark-ffi
    LIB="$(ls target/$PROFILE/libwaymark_ffi.so target/$PROFILE/libwaymark_ffi.dylib 2>/dev/null | head -n1 || true)"
fi
cargo build -q -p waymark-ffi --features bindgen --bin uniffi-bindgen
OUT="$(mktemp -d)"
target/debug/uniffi-bindgen generate --no-format --library "$LIB" --language swift --out-dir "$OUT" >/dev/null
mkdir -p ios/Sources/Waymark/Generated ios/Sources/waymarkFFI/include
cp "$OUT"/*.swift ios/Sources/Waymark/Generated/
cp "$OUT"/*.h ios/Sources/waymarkFFI/include/
rm -rf "$OUT"
echo "generated Swift bindings from $LIB"
