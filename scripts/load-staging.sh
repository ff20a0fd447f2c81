#!/usr/bin/env bash
# The staging server under load, measured as a separate process: a release okpay-staging on
# a free loopback port, then `crates/okpay-staging/tests/load.rs` against it (OKPAY_LOAD_USERS
# testers at once through sign-in, photos and submit, beside a stream of hostile requests),
# then the server's peak memory and CPU time from /proc. A measurement, not part of the test
# command (a release build takes a few minutes on 2 cores).
#   scripts/load-staging.sh [USERS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
users="${1:-200}"
cargo build --release --locked -p okpay-staging -j2
server="$CARGO_TARGET_DIR/release/okpay-staging"
data="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$data"' EXIT
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export OKPAY_LOAD_URL="http://127.0.0.1:$port" OKPAY_LOAD_DATA="$data/data"
export OKPAY_LOAD_ADMIN="load-admin-token" OKPAY_LOAD_USERS="$users"
"$server" --listen "127.0.0.1:$port" --data "$OKPAY_LOAD_DATA" --manual-review \
  --admin-token "$OKPAY_LOAD_ADMIN" >"$data/staging.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
  curl -fsS "$OKPAY_LOAD_URL/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
ticks="$(getconf CLK_TCK)"
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
before="$(cpu)"
status=0
cargo test --release --locked -p okpay-staging --test load -j2 -- --ignored --nocapture || status=$?
after="$(cpu)"
echo "server: peak RSS $(awk '/^VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$pid/status"), CPU $(( (after - before) / ticks )) s over the run"
[ "$status" -eq 0 ] || tail -30 "$data/staging.log"
exit "$status"
