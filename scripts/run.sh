#!/usr/bin/env bash
# Runs OKPay Wallet against a local okpay-staging server: installs what is missing, builds
# the UI and the app, starts the server (SQLite data in .okpay-dev/), prints the demo
# account, and opens the app. Without a display it starts Xvfb; without a desktop session it
# gives the app a throw-away keyring. Stops the server when the app closes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port="${OKPAY_STAGING_PORT:-8787}"
data=".okpay-dev/staging"

scripts/deps.sh run
echo "==> building the UI and the app"
(cd ui && npm run --silent build)
cargo build --locked -p okpay-app -p okpay-staging
bin="$CARGO_TARGET_DIR/debug"

mkdir -p "$data"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

echo "==> starting okpay-staging on 127.0.0.1:$port (data in $data)"
"$bin/okpay-staging" --listen "127.0.0.1:$port" --data "$data" --review-delay "${OKPAY_REVIEW_DELAY:-30}" \
  --card-models "$OKPAY_OCR_MODELS" &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { echo "error: okpay-staging did not start" >&2; exit 1; }

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  display=":$((90 + RANDOM % 100))"
  echo "==> no display: starting Xvfb on $display"
  Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  export DISPLAY="$display"
  for _ in $(seq 1 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
fi

export OKPAY_API_URL="http://127.0.0.1:$port"
echo "==> opening OKPay Wallet (STAGING: $OKPAY_API_URL) — sign in with the demo account printed above"
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  scripts/with-keyring.sh "$bin/okpay-app" &
else
  "$bin/okpay-app" &
fi
pids+=($!)
wait $!
