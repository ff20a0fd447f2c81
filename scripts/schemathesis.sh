#!/usr/bin/env bash
# The contract test: schemathesis (PyPI, pinned in scripts/schemathesis/requirements.txt, in
# a venv under the target dir) runs every phase of docs/openapi.yaml against a real
# okpay-staging (the debug binary the test command built) on a free loopback port, with a
# seeded tester and the admin token, and fails on any deviation.
#
# Two runs, each against its own fresh server: the operations without a session (register,
# sign-in, refresh), whose fuzzing fills the sign-in limits of this address as an attacker
# would; then everything else, whose session comes from signing the seeded tester in.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
venv="$CARGO_TARGET_DIR/schemathesis-venv"
requirements=scripts/schemathesis/requirements.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --no-deps -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi
server="$CARGO_TARGET_DIR/debug/okpay-staging"
[ -x "$server" ] || cargo build --locked -p okpay-staging
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export OKPAY_ST_LOGIN="contract@example.com" OKPAY_ST_PASSWORD="contract-password"
export OKPAY_ST_ADMIN_TOKEN="contract-admin-token"

# contract NAME [st filter options...]: a fresh server, one schemathesis run, its result.
contract() {
  local name="$1"
  shift
  local data="$work/$name" port
  mkdir -p "$data"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  export OKPAY_ST_URL="http://127.0.0.1:$port"
  "$server" --listen "127.0.0.1:$port" --data "$data/data" --manual-review \
    --admin-token "$OKPAY_ST_ADMIN_TOKEN" --seed-account "$OKPAY_ST_LOGIN:$OKPAY_ST_PASSWORD" \
    >"$data/staging.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do
    curl -fsS "$OKPAY_ST_URL/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  echo "==> contract: $name"
  local status=0
  "$venv/bin/st" --config-file scripts/schemathesis/schemathesis.toml run docs/openapi.yaml \
    --no-color --seed "${OKPAY_ST_SEED:-20261208}" "$@" || status=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
  if [ "$status" -ne 0 ]; then
    echo "--- okpay-staging log (last 30 lines)"
    tail -30 "$data/staging.log"
    return "$status"
  fi
}

contract "without a session" \
  --include-operation-id register --include-operation-id login --include-operation-id refresh
contract "signed in, and the tester controls" \
  --exclude-operation-id register --exclude-operation-id login --exclude-operation-id refresh
