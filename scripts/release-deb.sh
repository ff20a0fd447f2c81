#!/usr/bin/env bash
# Builds the release .deb of OKPay Wallet: the UI (ui/dist), the release binary (thin LTO,
# stripped) and the Debian package, through the Tauri CLI installed in ui/. Then checks the
# package (control fields, binary, desktop entry, icons, the card reader's models) and prints
# its path and sizes (the goal: the .deb under 30 MiB with the models in it).
# A release check, not part of scripts/test.sh: a cold build takes ~10 min on 2 cores.
#
# The endpoint is baked in at compile time: export OKPAY_PRODUCTION_API_URL=https://… for a
# build users get. Without it this is a staging build (default http://127.0.0.1:8787, with
# the STAGING badge), as docs/desktop-installers.md describes.
# Prove it installs and starts on a clean Debian 12 with scripts/deb-smoke.sh DEB.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/deps.sh run
if ! command -v desktop-file-validate >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> installing desktop-file-utils (checks the desktop entry)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends desktop-file-utils >/dev/null
fi

if [ -n "${OKPAY_PRODUCTION_API_URL:-}" ]; then
  echo "==> production build: default endpoint $OKPAY_PRODUCTION_API_URL"
else
  echo "==> staging build: OKPAY_PRODUCTION_API_URL is not set, default endpoint http://127.0.0.1:8787 (STAGING badge)"
fi

bundle_dir="$CARGO_TARGET_DIR/release/bundle/deb"
rm -rf "$bundle_dir"
started=$SECONDS
# The CLI must run from src-tauri/ (the first directory with a tauri.conf.json and a package).
# It runs beforeBuildCommand (`npm --prefix ../ui run build`) in TAURI_FRONTEND_PATH, so
# point that at ui/, where `../ui` is ui/ itself. Arguments after `--` go to cargo build.
(cd src-tauri && TAURI_FRONTEND_PATH=../ui ../ui/node_modules/.bin/tauri build --ci --bundles deb -- --locked -j 2)
build_s=$((SECONDS - started))

debs=("$bundle_dir"/*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || { echo "error: expected one .deb in $bundle_dir" >&2; exit 1; }
deb="${debs[0]}"

fail=0
check() { if "$@"; then :; else echo "error: package check failed: ${*: -1}" >&2; fail=1; fi; }
depends="$(dpkg-deb -f "$deb" Depends)"
# File names, without the leading "./" some dpkg-deb versions print (they may hold spaces).
contents="$(dpkg-deb -c "$deb" | sed -E 's/^([^ ]+ +){5}//; s|^\./||')"
bin_path="$(grep -m1 '^usr/bin/' <<<"$contents" || true)"
desktop_path="$(grep -m1 '^usr/share/applications/.*\.desktop$' <<<"$contents" || true)"
check grep -qw 'libwebkit2gtk-4.1-0' <<<"$depends"
check grep -qw 'libgtk-3-0' <<<"$depends"
check test -n "$bin_path"
check test -n "$desktop_path"
check grep -q '^usr/share/icons/hicolor/.*/apps/.*\.png$' <<<"$contents"
# The card reader's models ride along as resources.
check grep -q '/ocr/det\.onnx$' <<<"$contents"
check grep -q '/ocr/rec\.onnx$' <<<"$contents"

unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
if [ -n "$desktop_path" ]; then
  desktop="$unpacked/$desktop_path"
  check grep -q '^Exec=' "$desktop"
  check grep -q '^Icon=' "$desktop"
  check desktop-file-validate "$desktop"
fi
[ "$fail" -eq 0 ] || exit 1

size() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
binary="$CARGO_TARGET_DIR/release/okpay-app"
echo
echo "==> built in ${build_s} s"
dpkg-deb -f "$deb" Package Version Architecture Depends Recommends Installed-Size | sed 's/^/    /'
echo "    files: /$bin_path, /$desktop_path, $(grep -c '^usr/share/icons/.*\.png$' <<<"$contents") icons"
echo "deb:    $deb"
echo "size:   .deb $(size "$deb") bytes ($(mib "$(size "$deb")")); binary $(size "$binary") bytes ($(mib "$(size "$binary")")), $binary"
