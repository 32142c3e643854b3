#!/usr/bin/env bash
# Finds or installs the toolchains the cross-language tests need, idempotently.
#
# Source it, then call ensure_kotlin, ensure_jna, ensure_coroutines, ensure_swift,
# ensure_chromium. Each sets variables (KOTLINC, KOTLIN_STDLIB, JNA_JAR, COROUTINES_JAR,
# SWIFT_RUN, WAYMARK_CHROMIUM) and returns 0, or
# prints why it cannot and returns 1 (the caller decides whether that is a skip or, with
# CI=true, a failure).
#
# What is used, in order of preference:
# - Kotlin: a `kotlinc` already on PATH; else the npm package `kotlin-compiler` installed
#   under $WAYMARK_TOOLCHAINS/kotlin.
# - JNA and kotlinx-coroutines: Debian's libjna-java and libkotlinx-coroutines-java.
# - Swift: a `swift` already on PATH (a Mac with Xcode, a Linux Swift install); else Debian
#   trixie's swiftlang in a debootstrap'd root at $WAYMARK_TOOLCHAINS/trixie (about 3 GB,
#   2-3 minutes the first time), entered with chroot; needs root.
# - Chromium (renders the HTML report in a test): WAYMARK_CHROMIUM, or `chromium` on PATH,
#   else Debian's chromium package.
#
# The cache directory defaults to ~/.cache/waymark-toolchains; set WAYMARK_TOOLCHAINS to move it.

WAYMARK_TOOLCHAINS="${WAYMARK_TOOLCHAINS:-$HOME/.cache/waymark-toolchains}"
KOTLIN_COMPILER_VERSION="${KOTLIN_COMPILER_VERSION:-2.4}"

_say() { printf '[toolchains] %s\n' "$*" >&2; }

_apt_install() {
    if [ "$(id -u)" != 0 ]; then
        _say "need root to apt-get install $*"
        return 1
    fi
    if [ -z "${_APT_UPDATED:-}" ]; then
        apt-get update -qq >/dev/null 2>&1 || true
        _APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_chromium() {
    local found
    for found in "${WAYMARK_CHROMIUM:-}" "$(command -v chromium 2>/dev/null)" "$(command -v chromium-browser 2>/dev/null)"; do
        if [ -n "$found" ] && [ -x "$found" ]; then
            export WAYMARK_CHROMIUM="$found"
            return 0
        fi
    done
    _say "installing Debian's chromium (for the report test)"
    _apt_install chromium || { _say "apt-get install chromium failed"; return 1; }
    export WAYMARK_CHROMIUM="$(command -v chromium)"
}

# axe-core (the accessibility checker) and playwright-core (to drive Chromium), from the npm
# registry, for the report test; sets WAYMARK_AXE_MODULES to their node_modules.
ensure_axe() {
    local dir="$WAYMARK_TOOLCHAINS/axe"
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        _say "node and npm are needed for the accessibility check of the report"
        return 1
    fi
    if [ ! -f "$dir/node_modules/axe-core/axe.min.js" ] || [ ! -d "$dir/node_modules/playwright-core" ]; then
        _say "installing axe-core and playwright-core from npm (for the report's accessibility check)"
        mkdir -p "$dir"
        [ -f "$dir/package.json" ] || echo '{"name":"waymark-axe","private":true}' > "$dir/package.json"
        (cd "$dir" && npm install --no-audit --no-fund --silent axe-core@4 playwright-core@1 >/dev/null 2>&1) \
            || { _say "npm install axe-core playwright-core failed"; return 1; }
    fi
    export WAYMARK_AXE_MODULES="$dir/node_modules"
}

ensure_kotlin() {
    if command -v kotlinc >/dev/null 2>&1; then
        KOTLINC="$(command -v kotlinc)"
        local home
        home="$(cd "$(dirname "$(readlink -f "$KOTLINC")")/.." && pwd)"
        KOTLIN_STDLIB="$home/lib/kotlin-stdlib.jar"
        [ -f "$KOTLIN_STDLIB" ] && return 0
    fi
    local dir="$WAYMARK_TOOLCHAINS/kotlin"
    local bin="$dir/node_modules/kotlin-compiler/bin/kotlinc"
    if [ ! -x "$bin" ]; then
        command -v npm >/dev/null 2>&1 || { _say "no kotlinc and no npm to install it"; return 1; }
        _say "installing kotlin-compiler@$KOTLIN_COMPILER_VERSION from npm into $dir"
        mkdir -p "$dir"
        (cd "$dir" && npm install --silent --no-audit --no-fund "kotlin-compiler@$KOTLIN_COMPILER_VERSION" >/dev/null 2>&1) \
            || { _say "npm install kotlin-compiler failed"; return 1; }
        chmod +x "$dir/node_modules/kotlin-compiler/bin/"* 2>/dev/null || true
    fi
    KOTLINC="$bin"
    KOTLIN_STDLIB="$dir/node_modules/kotlin-compiler/lib/kotlin-stdlib.jar"
    [ -f "$KOTLIN_STDLIB" ] || { _say "kotlin-stdlib.jar missing from the kotlin-compiler package"; return 1; }
}

_debian_jar() {
    # _debian_jar PACKAGE PATTERN: the jar PATTERN from Debian package PACKAGE, installed if needed.
    local package="$1" pattern="$2" jar
    jar="$(dpkg -L "$package" 2>/dev/null | grep -E "$pattern" | head -n1)"
    if [ -z "$jar" ] || [ ! -f "$jar" ]; then
        _say "installing Debian's $package"
        _apt_install "$package" || { _say "apt-get install $package failed"; return 1; }
        jar="$(dpkg -L "$package" 2>/dev/null | grep -E "$pattern" | head -n1)"
    fi
    [ -n "$jar" ] && [ -f "$jar" ] && printf '%s\n' "$jar"
}

ensure_jna() {
    JNA_JAR="$(_debian_jar libjna-java '/jna\.jar$')" || return 1
}

ensure_coroutines() {
    # The Kotlin compiler's own lib/ carries a current kotlinx-coroutines (StateFlow, 1.7+):
    # preferred. Debian's 1.0.1 is the fallback; it needs atomicfu at run time, which its
    # package does not say.
    local lib
    lib="$(dirname "${KOTLIN_STDLIB:-/nonexistent}")/kotlinx-coroutines-core-jvm.jar"
    if [ -f "$lib" ]; then
        COROUTINES_JAR="$lib"
        return 0
    fi
    local core atomicfu
    core="$(_debian_jar libkotlinx-coroutines-java 'kotlinx-coroutines-core(-jvm)?\.jar$')" || return 1
    atomicfu="$(_debian_jar libkotlinx-atomicfu-java '/atomicfu(-jvm)?\.jar$')" || return 1
    COROUTINES_JAR="$core:$atomicfu"
}

# Runs a command with Swift: directly when swift is on PATH, else inside the trixie root with
# the checkout bind-mounted at the same path. Usage: "${SWIFT_RUN[@]}" DIR COMMAND...
_swift_direct() { local dir="$1"; shift; (cd "$dir" && "$@"); }

_swift_chroot() {
    local dir="$1"; shift
    local root="$WAYMARK_TOOLCHAINS/trixie"
    mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
    mkdir -p "$root$SWIFT_MOUNT"
    mountpoint -q "$root$SWIFT_MOUNT" || mount --bind "$SWIFT_MOUNT" "$root$SWIFT_MOUNT"
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin:/usr/sbin:/sbin \
        LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}" WAYMARK_SCENARIOS="${WAYMARK_SCENARIOS:-}" \
        /bin/sh -c 'cd "$0" && exec "$@"' "$dir" "$@"
}

# Unmounts what _swift_chroot mounted (safe to call when nothing is mounted).
swift_cleanup() {
    local root="$WAYMARK_TOOLCHAINS/trixie"
    [ -n "${SWIFT_MOUNT:-}" ] && mountpoint -q "$root$SWIFT_MOUNT" 2>/dev/null && umount "$root$SWIFT_MOUNT"
    mountpoint -q "$root/proc" 2>/dev/null && umount "$root/proc"
    return 0
}

# ensure_swift MOUNT: MOUNT is the directory (the checkout) that Swift must see.
ensure_swift() {
    SWIFT_MOUNT="$1"
    if command -v swift >/dev/null 2>&1; then
        SWIFT_RUN=(_swift_direct)
        return 0
    fi
    local root="$WAYMARK_TOOLCHAINS/trixie"
    # /usr/bin/swift in the root is an absolute symlink: test what it points to, inside the root.
    if [ ! -x "$root/usr/libexec/swift/bin/swift" ]; then
        [ "$(id -u)" = 0 ] || { _say "Swift needs root here (debootstrap and chroot)"; return 1; }
        command -v debootstrap >/dev/null 2>&1 || _apt_install debootstrap \
            || { _say "cannot install debootstrap"; return 1; }
        if [ ! -x "$root/usr/bin/apt-get" ]; then
            _say "creating a Debian trixie root at $root (debootstrap, about a minute)"
            rm -rf "$root"
            mkdir -p "$root"
            debootstrap --variant=minbase trixie "$root" >"$WAYMARK_TOOLCHAINS/debootstrap.log" 2>&1 \
                || { _say "debootstrap failed: see $WAYMARK_TOOLCHAINS/debootstrap.log"; return 1; }
        fi
        _say "installing swiftlang in the trixie root (about 3 GB, a few minutes)"
        mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
        chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin:/usr/sbin:/sbin DEBIAN_FRONTEND=noninteractive \
            /bin/sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends swiftlang libc6-dev tzdata' \
            >"$WAYMARK_TOOLCHAINS/swiftlang.log" 2>&1 \
            || { _say "installing swiftlang failed: see $WAYMARK_TOOLCHAINS/swiftlang.log"; swift_cleanup; return 1; }
    fi
    SWIFT_RUN=(_swift_chroot)
}
