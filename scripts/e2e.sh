#!/usr/bin/env bash
# End-to-end tests of the real app (package okpay-e2e) in a throw-away desktop: a private
# Xvfb display, a private D-Bus session with an unlocked throw-away keyring, and tauri-driver.
# Everything started here is stopped on exit; nothing stays listening on 4444/4445.
#
# Assumes the app and the staging server are built:
#   npm --prefix ui ci && npm --prefix ui run build && cargo build -p okpay-app -p okpay-staging
# and the system packages are installed (webkit2gtk-driver, xvfb, xdotool, gnome-keyring,
# dbus-daemon, dbus-bin, keyutils, x11-utils) plus tauri-driver in ~/.cargo/bin.
#
# Usage: scripts/e2e.sh [extra arguments for the test binaries, e.g. a test name filter]
# OKPAY_E2E_APP=/path/to/okpay-app tests another build of the app (default: the debug build).
# Exit status: the tests' status (non-zero when the environment cannot be set up).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/okpay-target}"
export PATH="$HOME/.cargo/bin:$PATH"
driver_port=4444
native_port=4445

die() { echo "e2e: $*" >&2; exit 2; }

for tool in Xvfb xdpyinfo xdotool WebKitWebDriver tauri-driver gnome-keyring-daemon \
    dbus-run-session dbus-send keyctl setsid cargo; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
app="${OKPAY_E2E_APP:-$CARGO_TARGET_DIR/debug/okpay-app}"
for bin in "$app" "$CARGO_TARGET_DIR/debug/okpay-staging"; do
  [[ -x "$bin" ]] || die "$bin is missing; build it first (see the top of this script)"
done
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$driver_port" "$native_port"; do
  if port_busy "$port"; then die "something already listens on 127.0.0.1:$port"; fi
done

# Build the tests before starting anything, so the clock below measures the run only.
(cd "$repo" && cargo test -p okpay-e2e --tests --no-run -j 2) || die "building the tests failed"

work="$(mktemp -d "${TMPDIR:-/tmp}/okpay-e2e.XXXXXX")"
xvfb_pid=""
session_pgid=""
group_alive() { kill -0 -- "-$1" 2>/dev/null; }
# Wait until the background child $1, started with setsid, leads its own process group.
await_group_leader() {
  for _ in $(seq 50); do
    [[ "$(ps -o pgid= -p "$1" | tr -d ' ')" == "$1" ]] && return 0
    sleep 0.05
  done
  die "process $1 did not get a process group of its own"
}
cleanup() {
  local status=$?
  trap - INT TERM
  if [[ -n "$session_pgid" ]] && group_alive "$session_pgid"; then
    # Stops the tests, the staging servers, the keyring and the D-Bus session; the session
    # script's own exit trap then stops tauri-driver's group.
    kill -s TERM -- "-$session_pgid" 2>/dev/null || true
    for _ in $(seq 100); do group_alive "$session_pgid" || break; sleep 0.1; done
    if group_alive "$session_pgid"; then kill -s KILL -- "-$session_pgid" 2>/dev/null || true; fi
  fi
  # Last resort if the session script could not stop tauri-driver's group itself.
  local driver_pgid
  driver_pgid="$(cat "$work/tauri-driver.pgid" 2>/dev/null || true)"
  if [[ -n "$driver_pgid" ]] && group_alive "$driver_pgid"; then
    kill -s TERM -- "-$driver_pgid" 2>/dev/null || true
    for _ in $(seq 50); do group_alive "$driver_pgid" || break; sleep 0.1; done
    if group_alive "$driver_pgid"; then kill -s KILL -- "-$driver_pgid" 2>/dev/null || true; fi
  fi
  if [[ -n "$xvfb_pid" ]] && kill -0 "$xvfb_pid" 2>/dev/null; then
    kill -s TERM "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free display: Xvfb picks it and writes its number to fd 3. Its own process group keeps
# a Ctrl-C in the terminal from killing it before the tests are stopped.
setsid Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp \
  3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
await_group_leader "$xvfb_pid"
display=""
for _ in $(seq 100); do
  display="$(tr -d '[:space:]' <"$work/display" 2>/dev/null || true)"
  if [[ -n "$display" ]] && xdpyinfo -display ":$display" >/dev/null 2>&1; then break; fi
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$work/xvfb.log" >&2; die "Xvfb exited"; }
  display=""
  sleep 0.1
done
[[ -n "$display" ]] || die "Xvfb did not come up within 10 s"
echo "e2e: Xvfb on :$display"

# Temp files of the tests (app data dirs, staging databases, photos) go under $work/tmp, so
# they go away even when the tests are killed.
mkdir -p "$work/data" "$work/run" "$work/tmp" "$repo/target"
chmod 700 "$work/run"
rm -rf "$repo/target/e2e-screens"
started=$(date +%s)
# The session (keyring, tauri-driver, tests) runs in a process group of its own, so that
# an interrupt stops all of it at once (see cleanup).
setsid env DISPLAY=":$display" GDK_BACKEND=x11 NO_AT_BRIDGE=1 \
  XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run" TMPDIR="$work/tmp" E2E_WORK="$work" \
  E2E_DRIVER_PORT="$driver_port" E2E_NATIVE_PORT="$native_port" E2E_REPO="$repo" \
  keyctl session - dbus-run-session -- bash "$repo/scripts/e2e/in-session.sh" "$@" &
session_pid=$!
await_group_leader "$session_pid"
session_pgid=$session_pid
set +e
wait "$session_pid"
status=$?
set -e
echo "e2e: finished in $(( $(date +%s) - started )) s with status $status"
if [[ -d "$repo/target/e2e-screens" ]]; then
  echo "e2e: screenshots in $repo/target/e2e-screens:"
  ls "$repo/target/e2e-screens" | sed 's/^/  /'
fi
exit "$status"
