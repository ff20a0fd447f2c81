#!/usr/bin/env bash
# Installs what is missing on a Debian/Ubuntu machine, and nothing that is already there.
#   scripts/deps.sh run    build + run the app (system libraries, UI packages, the card
#                          reader's models)
#   scripts/deps.sh test   also everything the tests need (Xvfb, WebKitWebDriver,
#                          tauri-driver, the keyring daemon, Chromium, xdotool)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

run_pkgs=(
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libgtk-3-dev libjavascriptcoregtk-4.1-dev
  libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev
  xvfb x11-utils dbus-daemon dbus-bin gnome-keyring keyutils
  nasm fonts-wqy-microhei python3-pip
  # The webview's camera (getUserMedia): GStreamer's video sources (V4L2 in -good).
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
)
test_pkgs=(webkit2gtk-driver xdotool chromium python3-gi gir1.2-gtk-3.0 procps iproute2 python3-venv)

pkgs=("${run_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required (Rust via rustup, Node.js 20+ with npm)" >&2; exit 1; }
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "error: Node.js 20 or newer is required (found $(node --version))" >&2
  exit 1
fi

# UI packages: reinstall when the lock file changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> installing UI packages (npm ci)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

# The card reader's models, into the cache outside the clone.
scripts/ocr-models.sh

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "==> installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi
exit 0
