#!/usr/bin/env bash
# Builds ios/build/WaymarkFFI.xcframework, the Rust library for the Swift package:
#   ios-arm64                  static library for iPhones and iPads (aarch64-apple-ios)
#   ios-arm64_x86_64-simulator one fat static library for the simulator on Apple silicon
#                              and Intel Macs (aarch64-apple-ios-sim + x86_64-apple-ios)
# each with the C headers of both uniffi namespaces and a module map. Package.swift uses the
# XCFramework as soon as it exists (a binaryTarget instead of the system library).
#
# Needs a Mac with Xcode (xcodebuild, lipo) and rustup. It cannot run on the Linux CI
# machines; everything it wraps (the same Rust code, the same generated Swift) is tested there
# with `swift test` against the Linux build.
#
# Usage: ios/build-xcframework.sh        (release build, IPHONEOS_DEPLOYMENT_TARGET 15.0)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

for tool in xcodebuild lipo rustup cargo; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "build-xcframework: '$tool' not found; this script needs macOS with Xcode and rustup" >&2
        exit 2
    }
done

DEVICE=aarch64-apple-ios
SIMULATORS=(aarch64-apple-ios-sim x86_64-apple-ios)
# The package declares iOS 15; the Rust objects must not ask for a newer OS than that.
export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-15.0}"

rustup target add "$DEVICE" "${SIMULATORS[@]}"
for target in "$DEVICE" "${SIMULATORS[@]}"; do
    echo "building $target"
    cargo build --release --lib -p waymark-ffi --target "$target"
done

# The Swift sources and headers come from the host build (library mode needs uniffi's
# metadata, which the stripped release build does not keep; the interface is identical).
ios/generate-bindings.sh

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/headers" "$WORK/simulator"
cp ios/Sources/waymarkFFI/include/*.h "$WORK/headers/"
# Same modules as ios/Sources/waymarkFFI/module.modulemap, without the `link` line: the
# XCFramework's binary target links its static library itself.
cat >"$WORK/headers/module.modulemap" <<'MODULEMAP'
module waymarkFFI {
    header "waymarkFFI.h"
    export *
}
module waymarkCoreFFI {
    header "waymarkCoreFFI.h"
    export *
}
MODULEMAP

lipo -create \
    "target/${SIMULATORS[0]}/release/libwaymark_ffi.a" \
    "target/${SIMULATORS[1]}/release/libwaymark_ffi.a" \
    -output "$WORK/simulator/libwaymark_ffi.a"

OUT=ios/build/WaymarkFFI.xcframework
rm -rf "$OUT"
mkdir -p ios/build
xcodebuild -create-xcframework \
    -library "target/$DEVICE/release/libwaymark_ffi.a" -headers "$WORK/headers" \
    -library "$WORK/simulator/libwaymark_ffi.a" -headers "$WORK/headers" \
    -output "$OUT"

echo "built $OUT"
for lib in "target/$DEVICE/release/libwaymark_ffi.a" "$WORK/simulator/libwaymark_ffi.a"; do
    echo "  $(lipo -info "$lib")"
done
echo "Open ios/Package.swift in Xcode (or add the package to an app) and build for a device."
