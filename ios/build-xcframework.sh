#!/usr/bin/env bash
# Builds ios/build/waymarkFFI.xcframework (named like Package.swift's binary target
# `waymarkFFI`), the Rust library for the Swift package, with one slice per platform the
# package declares:
#   ios-arm64                  static library for iPhones and iPads (aarch64-apple-ios)
#   ios-arm64_x86_64-simulator one fat static library for the simulator on Apple silicon
#                              and Intel Macs (aarch64-apple-ios-sim + x86_64-apple-ios)
#   macos-arm64_x86_64         one fat static library for Macs (aarch64-apple-darwin +
#                              x86_64-apple-darwin)
# Each slice carries the C headers of both uniffi namespaces and one module map declaring
# both C modules (waymarkFFI, waymarkCoreFFI) under Headers/waymarkFFI/, not at the top of
# Headers/: Xcode copies every static XCFramework's headers into one include folder, where
# two top-level module.modulemap files would overwrite each other.
#
# It also writes ios/build/waymarkFFI.xcframework.zip and prints its SwiftPM checksum, for
# publishing the package as a URL dependency (README, "### iOS").
#
# Package.swift uses the XCFramework as soon as it exists (a binaryTarget instead of the
# system library).
#
# Needs a Mac with Xcode (xcodebuild, lipo, ditto, swift) and rustup. It cannot run on the
# Linux CI machines; everything it wraps (the same Rust code, the same generated Swift) is
# tested there with `swift test` against the Linux build.
#
# Usage: ios/build-xcframework.sh   (release build; IPHONEOS_DEPLOYMENT_TARGET 15.0 and
#                                    MACOSX_DEPLOYMENT_TARGET 12.0, as Package.swift declares)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

for tool in xcodebuild lipo ditto swift rustup cargo; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "build-xcframework: '$tool' not found; this script needs macOS with Xcode and rustup" >&2
        exit 2
    }
done

DEVICE=aarch64-apple-ios
SIMULATORS=(aarch64-apple-ios-sim x86_64-apple-ios)
MACS=(aarch64-apple-darwin x86_64-apple-darwin)
# The package declares iOS 15 and macOS 12; the Rust objects must not ask for newer.
export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-15.0}"
export MACOSX_DEPLOYMENT_TARGET="${MACOSX_DEPLOYMENT_TARGET:-12.0}"

rustup target add "$DEVICE" "${SIMULATORS[@]}" "${MACS[@]}"
for target in "$DEVICE" "${SIMULATORS[@]}" "${MACS[@]}"; do
    echo "building $target"
    cargo build --release --lib -p waymark-ffi --target "$target"
done

# The Swift sources and headers come from the host build (library mode needs uniffi's
# metadata, which the stripped release build does not keep; the interface is identical).
ios/generate-bindings.sh

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# -headers copies the folder's contents into each slice's Headers/, so the subfolder
# becomes Headers/waymarkFFI/.
HEADERS="$WORK/headers/waymarkFFI"
mkdir -p "$HEADERS" "$WORK/simulator" "$WORK/macos"
cp ios/Sources/waymarkFFI/include/*.h "$HEADERS/"
# Same modules as ios/Sources/waymarkFFI/module.modulemap, without the `link` line: the
# XCFramework's binary target links its static library itself. Clang finds this map in the
# subfolder named after the module it imports (waymarkFFI) and, for waymarkCoreFFI, by
# searching the subfolders of the header path.
cat >"$HEADERS/module.modulemap" <<'MODULEMAP'
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
lipo -create \
    "target/${MACS[0]}/release/libwaymark_ffi.a" \
    "target/${MACS[1]}/release/libwaymark_ffi.a" \
    -output "$WORK/macos/libwaymark_ffi.a"

NAME=waymarkFFI.xcframework
OUT="ios/build/$NAME"
rm -rf "$OUT" "$OUT.zip"
mkdir -p ios/build
xcodebuild -create-xcframework \
    -library "target/$DEVICE/release/libwaymark_ffi.a" -headers "$WORK/headers" \
    -library "$WORK/simulator/libwaymark_ffi.a" -headers "$WORK/headers" \
    -library "$WORK/macos/libwaymark_ffi.a" -headers "$WORK/headers" \
    -output "$OUT"

# The archive SwiftPM downloads for `.binaryTarget(url:checksum:)`: the XCFramework folder
# itself at the top of the zip.
(cd ios/build && ditto -c -k --sequesterRsrc --keepParent "$NAME" "$NAME.zip")
CHECKSUM="$(cd ios && swift package compute-checksum "build/$NAME.zip")"

echo "built $OUT"
for lib in "target/$DEVICE/release/libwaymark_ffi.a" "$WORK/simulator/libwaymark_ffi.a" "$WORK/macos/libwaymark_ffi.a"; do
    echo "  $(lipo -info "$lib")"
done
echo "built $OUT.zip, checksum $CHECKSUM"
echo "Open ios/Package.swift in Xcode (or add the package to an app) and build for a device."
