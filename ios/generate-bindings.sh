#!/usr/bin/env bash
# Generates the Swift bindings and C headers for this package from the Rust library
# (uniffi library mode). Usage: ios/generate-bindings.sh [path/to/libwaymark_ffi]
# The library defaults to the host debug build (target/debug/libwaymark_ffi.{so,dylib}),
# built here: stripped release builds carry no uniffi metadata, and the interface is the
# same in every profile, so the bindings fit the release XCFramework too.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
LIB="${1:-}"
if [ -z "$LIB" ]; then
    cargo build -q -p waymark-ffi
    LIB="$(ls target/debug/libwaymark_ffi.so target/debug/libwaymark_ffi.dylib 2>/dev/null | head -n1 || true)"
fi
cargo build -q -p waymark-ffi --features bindgen --bin uniffi-bindgen
OUT="$(mktemp -d)"
target/debug/uniffi-bindgen generate --no-format --library "$LIB" --language swift --out-dir "$OUT" >/dev/null
mkdir -p ios/Sources/Waymark/Generated ios/Sources/waymarkFFI/include
cp "$OUT"/*.swift ios/Sources/Waymark/Generated/
cp "$OUT"/*.h ios/Sources/waymarkFFI/include/
rm -rf "$OUT"
echo "generated Swift bindings from $LIB"
