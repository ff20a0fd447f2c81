#!/usr/bin/env bash
# Type-checks the app's Android code paths: `cargo check --target aarch64-linux-android` of
# the app library (okpay-app, cfg(mobile): mobile entry point, no rfd) and okpay-core (the
# Android keychain store), warnings as errors. Needs no Android SDK or NDK.
#
# `cargo check` still runs build scripts, and two of them compile C for the target: `ring`
# (rustls, under reqwest) and `mozjpeg-sys` (okpay-photo). With an NDK (NDK_HOME or
# ANDROID_NDK_HOME) its clang is used. Without one, the host clang compiles that C with
# `--target=aarch64-linux-android` against glibc's arm64 headers (Debian package
# libc6-dev-arm64-cross) instead of Android's bionic ones. `check` never links, so those
# objects are thrown away; only the Rust type-check counts. A real Android build needs the NDK
# (docs/mobile.md).
#
# Prints `skipped: target unavailable` and exits 0 when rustup cannot add the target, and
# `skipped: Android NDK not installed (...)` when no C compiler for the target can be set up.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
target=aarch64-linux-android
triple_env=aarch64_linux_android

if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  if ! rustup target add "$target" >/dev/null 2>&1; then
    echo "skipped: target unavailable"
    exit 0
  fi
fi

c_users="ring, mozjpeg-sys"
ndk="${NDK_HOME:-${ANDROID_NDK_HOME:-}}"
ndk_bin="$ndk/toolchains/llvm/prebuilt/linux-x86_64/bin"
if [ -n "$ndk" ] && [ -x "$ndk_bin/${target}24-clang" ]; then
  echo "==> C for $target: the NDK's clang ($ndk)"
  export "CC_$triple_env=$ndk_bin/${target}24-clang" "AR_$triple_env=$ndk_bin/llvm-ar"
else
  headers=/usr/aarch64-linux-gnu/include
  pkgs=()
  command -v clang >/dev/null || pkgs+=(clang)
  command -v llvm-ar >/dev/null || pkgs+=(llvm)
  [ -f "$headers/stdlib.h" ] || pkgs+=(libc6-dev-arm64-cross)
  if [ "${#pkgs[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "==> installing ${pkgs[*]} (C compiler for $target build scripts without the NDK)"
    { $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${pkgs[@]}" >/dev/null; } ||
      { echo "skipped: Android NDK not installed ($c_users compile C; clang could not be installed)"; exit 0; }
  fi
  echo "==> C for $target: host clang with arm64 glibc headers (no NDK; objects are never linked)"
  export "CC_$triple_env=clang" "AR_$triple_env=llvm-ar"
  export "CFLAGS_$triple_env=-nostdlibinc -isystem $headers"
fi

# The app embeds ui/dist at compile time (tauri::generate_context!), so it must exist.
[ -f ui/dist/index.html ] || (cd ui && npm run --silent build)

# Warnings as errors for this target only (host build scripts and macros keep their flags).
export CARGO_TARGET_AARCH64_LINUX_ANDROID_RUSTFLAGS="-D warnings"
started=$SECONDS
cargo check --locked -j 2 --target "$target" -p okpay-app -p okpay-core --lib
echo "==> $target: okpay-app and okpay-core type-check ($((SECONDS - started)) s)"
