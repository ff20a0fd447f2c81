#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throw-away, unlocked gnome-keyring
# (the Secret Service), so that keychain code talks to a real keychain without touching the
# user's own. Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
scratch="$(mktemp -d /tmp/okpay-keyring.XXXXXX)"
# Stop everything the session started, daemons included (gnome-keyring and the services
# D-Bus activates detach from us): they all carry this run's private XDG_RUNTIME_DIR.
reap() {
  local p pid
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    [ "$pid" = "$$" ] && continue
    grep -qsaF "XDG_RUNTIME_DIR=$scratch/runtime" "$p/environ" && kill "$pid" 2>/dev/null
  done
  return 0
}
trap 'status=$?; reap; rm -rf "$scratch"; exit $status' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$scratch/data" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
export OKPAY_KEYRING_PASSWORD="throwaway-$RANDOM$RANDOM"
keyctl session - dbus-run-session -- bash -c '
  set -euo pipefail
  eval "$(printf %s "$OKPAY_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  unset OKPAY_KEYRING_PASSWORD
  exec "$@"
' okpay-keyring "$@" &
wait $!
