#!/usr/bin/env bash
# Runs inside the private D-Bus session started by scripts/e2e.sh: unlocks a throw-away
# keyring, starts tauri-driver in its own process group, runs the end-to-end tests, and stops
# the keyring daemon and the whole tauri-driver group (with its WebKitWebDriver) on exit.
set -euo pipefail

: "${E2E_WORK:?run scripts/e2e.sh instead}" "${E2E_REPO:?}" "${E2E_DRIVER_PORT:?}" "${E2E_NATIVE_PORT:?}"

keyring_pid=""
driver_pgid=""

group_alive() { kill -0 -- "-$1" 2>/dev/null; }
cleanup() {
  local status=$?
  if [[ -n "$driver_pgid" ]]; then
    kill -s TERM -- "-$driver_pgid" 2>/dev/null || true
    for _ in $(seq 50); do group_alive "$driver_pgid" || break; sleep 0.1; done
    if group_alive "$driver_pgid"; then kill -s KILL -- "-$driver_pgid" 2>/dev/null || true; fi
  fi
  if [[ -n "$keyring_pid" ]]; then
    kill -s TERM "$keyring_pid" 2>/dev/null || true
    wait "$keyring_pid" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A throw-away login keyring, created and unlocked with a throw-away password.
printf '%s' "e2e-keyring-$$-$RANDOM" |
  gnome-keyring-daemon --foreground --unlock --components=secrets >"$E2E_WORK/keyring.log" 2>&1 &
keyring_pid=$!
secrets_up() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
    grep -q 'boolean true'
}
for _ in $(seq 100); do secrets_up && break; sleep 0.1; done
secrets_up || { cat "$E2E_WORK/keyring.log" >&2; echo "e2e: keyring did not start" >&2; exit 2; }

# tauri-driver (and the WebKitWebDriver it starts) in a process group of their own.
setsid tauri-driver --port "$E2E_DRIVER_PORT" --native-port "$E2E_NATIVE_PORT" \
  >"$E2E_WORK/tauri-driver.log" 2>&1 &
driver_pid=$!
# setsid makes the child the leader of a new group; wait until it has done so.
for _ in $(seq 50); do
  [[ "$(ps -o pgid= -p "$driver_pid" | tr -d ' ')" == "$driver_pid" ]] && break
  sleep 0.05
done
if [[ "$(ps -o pgid= -p "$driver_pid" | tr -d ' ')" != "$driver_pid" ]]; then
  echo "e2e: tauri-driver did not get a process group of its own" >&2
  kill -s TERM "$driver_pid" 2>/dev/null || true
  exit 2
fi
driver_pgid="$driver_pid"
echo "$driver_pgid" >"$E2E_WORK/tauri-driver.pgid"
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 100); do listening "$E2E_DRIVER_PORT" && break; sleep 0.1; done
listening "$E2E_DRIVER_PORT" || {
  cat "$E2E_WORK/tauri-driver.log" >&2
  echo "e2e: tauri-driver did not listen on $E2E_DRIVER_PORT" >&2
  exit 2
}

set +e
(cd "$E2E_REPO" && cargo test -p okpay-e2e --tests -j 2 --no-fail-fast -- --test-threads=1 "$@") 2>&1 |
  tee "$E2E_WORK/cargo-test.log"
status=$?
set -e
# A filter that matches no test must not look like success.
passed="$(sed -n 's/^test result: .* \([0-9]\+\) passed.*/\1/p' "$E2E_WORK/cargo-test.log" |
  awk '{ n += $1 } END { print n + 0 }')"
if [[ $status -eq 0 && $passed -eq 0 ]]; then
  echo "e2e: no test ran (does the filter match a test name?)" >&2
  status=1
fi
if [[ $status -ne 0 ]]; then
  echo "--- tauri-driver log (last 60 lines) ---" >&2
  tail -n 60 "$E2E_WORK/tauri-driver.log" >&2 || true
fi
exit "$status"
