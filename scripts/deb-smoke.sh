#!/usr/bin/env bash
# Proves that a .deb of OKPay Wallet installs and starts on a clean Debian 12: a throw-away
# root (`debootstrap --variant=minbase bookworm`, with bookworm-updates and -security like
# an up-to-date install), `apt-get install --no-install-recommends ./the.deb` there (apt
# resolves Depends; Recommends left out, so Depends alone must suffice), no missing shared
# libraries, then the app under an Xvfb inside the root: its window must map and paint (the
# window's pixels, read from Xvfb's frame buffer, show the UI rather than a blank) and the
# app must still run after SECONDS. Tears everything down: processes, mounts, the root.
# A release check, not part of scripts/test.sh. Needs root (re-runs itself with sudo).
#
# Usage: scripts/deb-smoke.sh DEB [SECONDS]   (default 10)
# The bootstrapped root is cached as a tarball, and downloaded packages are kept, under
# $CARGO_TARGET_DIR/deb-smoke/, so a rerun needs no debootstrap and few downloads. Each run
# unpacks the root into a tmpfs (up to 3 GB of memory) that is unmounted at the end.
# OKPAY_DEBIAN_MIRROR overrides the mirror (default http://deb.debian.org/debian).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 1 ] && [ -f "$1" ] || { echo "usage: $0 DEB [SECONDS]" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
  exec sudo --preserve-env=CARGO_TARGET_DIR,OKPAY_DEBIAN_MIRROR "$0" "$@"
fi
source scripts/env.sh
deb="$(realpath "$1")"
hold="${2:-10}"
mirror="${OKPAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="$CARGO_TARGET_DIR/deb-smoke"
tarball="$cache/bookworm-minbase.tar"
mkdir -p "$cache/apt-archives/partial"

log() { printf '==> [%4ds] %s\n' "$SECONDS" "$*"; }
die() { echo "deb-smoke: $*" >&2; exit 1; }

# Host tools: debootstrap builds the root, ImageMagick reads the frame buffer.
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v convert >/dev/null || missing+=(imagemagick)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

root=""
mounted=()
app_pid=""
# Processes whose root directory is the throw-away root: all were started by this script.
root_pids() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && echo "${p#/proc/}"
  done
  return 0
}
teardown() {
  local status=$? i pids
  trap - EXIT INT TERM
  if [ -n "$root" ]; then
    for i in $(seq 50); do
      pids="$(root_pids)"
      [ -z "$pids" ] && break
      # shellcheck disable=SC2086
      if [ "$i" -lt 30 ]; then kill -s TERM $pids 2>/dev/null || true; else kill -s KILL $pids 2>/dev/null || true; fi
      sleep 0.1
    done
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
      umount -R "${mounted[$i]}" 2>/dev/null || umount -R -l "${mounted[$i]}" || true
    done
    # Never delete through a mount that is still there (it could be the host's /dev).
    if grep -qF -e " $root/" -e " $root " /proc/mounts; then
      echo "deb-smoke: mounts under $root remain; not deleting it" >&2
      status=1
    else
      rm -rf "$root"
    fi
  fi
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
mount_in_root() { # TYPE-or-bind SOURCE TARGET-inside-root
  local target="$root$3"
  mkdir -p "$target"
  if [ "$1" = bind ]; then mount --rbind "$2" "$target" && mount --make-rslave "$target"; else mount -t "$1" "$2" "$target"; fi
  mounted+=("$target")
}

# 1. The clean root: from the cached tarball, else debootstrap (and cache it).
if [ ! -f "$tarball" ]; then
  log "debootstrap --variant=minbase bookworm (first run; cached afterwards)"
  t0=$SECONDS
  root="$(mktemp -d "$cache/bootstrap.XXXXXX")"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -n 20 "$cache/debootstrap.log" >&2; die "debootstrap failed"; }
  security="${mirror%/debian}/debian-security"
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
  tar --numeric-owner -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$root"
  root=""
  log "bootstrapped in $((SECONDS - t0)) s; cached $(du -m "$tarball" | cut -f1) MiB at $tarball"
fi
t0=$SECONDS
root="$(realpath "$(mktemp -d "$cache/root.XXXXXX")")"
# The root lives in memory (about 1 GB once the app is installed): fast to fill, and gone
# with one unmount instead of deleting a hundred thousand files.
mount -t tmpfs -o size=3g,mode=755 okpay-deb-smoke "$root"
mounted+=("$root")
tar --numeric-owner -C "$root" -xf "$tarball"
log "clean Debian 12 root at $root (unpacked in $((SECONDS - t0)) s, $(du -sxm "$root" | cut -f1) MiB)"
mount_in_root proc proc /proc
mount_in_root sysfs sysfs /sys
mount_in_root bind /dev /dev
mount_in_root bind "$cache/apt-archives" /var/cache/apt/archives
echo 'APT::Sandbox::User "root";' >"$root/etc/apt/apt.conf.d/00okpay-smoke" # no _apt user switch in a chroot
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" # no services start
chmod 755 "$root/usr/sbin/policy-rc.d"

# 2. Install the package the way a user does.
cp "$deb" "$root/tmp/okpay.deb"
pkg="$(dpkg-deb -f "$deb" Package)"
# Packages installed and their Installed-Size total (KiB), from dpkg's own records.
installed() { in_root dpkg-query -W -f '${db:Status-Abbrev} ${Installed-Size}\n' | awk '/^ii/ { n++; k += $2 } END { print n, k }'; }
t0=$SECONDS
in_root apt-get update -qq
read -r pkgs_before kib_before < <(installed)
in_root apt-get install -y -qq --no-install-recommends /tmp/okpay.deb >"$cache/install.log" 2>&1 ||
  { tail -n 30 "$cache/install.log" >&2; die "apt-get install ./$(basename "$deb") failed"; }
install_s=$((SECONDS - t0))
read -r pkgs_after kib_after < <(installed)
new_pkgs=$((pkgs_after - pkgs_before))
added_mb=$(((kib_after - kib_before) / 1024))
bin="$(in_root dpkg -L "$pkg" | grep -m1 '^/usr/bin/')" || die "$pkg installs nothing under /usr/bin"
desktop="$(in_root dpkg -L "$pkg" | grep -m1 '^/usr/share/applications/.*\.desktop$')" || die "$pkg has no desktop entry"
log "installed $pkg with $new_pkgs packages in $install_s s (+$added_mb MiB): $bin, $desktop"
if in_root ldd "$bin" | grep 'not found'; then die "$bin misses shared libraries"; fi
exec_line="$(sed -n 's/^Exec=//p' "$root$desktop" | head -n1)"
[ "${exec_line%% *}" = "$bin" ] || [ "${exec_line%% *}" = "$(basename "$bin")" ] ||
  die "desktop entry runs '$exec_line', not $bin"

# 3. Start it under an Xvfb inside the root (the test tools are installed after the package,
#    so they cannot have supplied one of its dependencies).
in_root apt-get install -y -qq --no-install-recommends xvfb x11-utils xdotool fontconfig >"$cache/tools.log" 2>&1 ||
  { tail -n 30 "$cache/tools.log" >&2; die "installing xvfb in the root failed"; }
# The UI's default language is Chinese: without a CJK font every Chinese glyph is a box.
in_root fc-list :lang=zh-cn family | grep -q . || die "no Chinese font installed with $pkg"
log "Chinese font: $(in_root fc-match 'sans-serif:lang=zh-cn' family)"
mkdir -p "$root/tmp/fb" "$root/tmp/run"
chmod 700 "$root/tmp/run"
in_root Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -br -fbdir /tmp/fb \
  3>"$root/tmp/display" >"$root/tmp/xvfb.log" 2>&1 &
display=""
for _ in $(seq 100); do
  display="$( (tr -d '[:space:]' <"$root/tmp/display") 2>/dev/null || true)"
  [ -n "$display" ] && in_root xdpyinfo -display ":$display" >/dev/null 2>&1 && break
  display=""
  sleep 0.1
done
[ -n "$display" ] || { cat "$root/tmp/xvfb.log" >&2; die "Xvfb did not start in the root"; }

start_ns=$(date +%s%N)
ms_since_start() { echo $((($(date +%s%N) - start_ns) / 1000000)); }
in_root DISPLAY=":$display" XDG_RUNTIME_DIR=/tmp/run NO_AT_BRIDGE=1 "$bin" >"$root/tmp/app.log" 2>&1 &
app_pid=$!
window=""
for _ in $(seq 300); do
  window="$(in_root DISPLAY=":$display" xdotool search --onlyvisible --name 'OKPay' 2>/dev/null | head -n1 || true)"
  [ -n "$window" ] && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$root/tmp/app.log" >&2; die "the app exited before it showed a window"; }
  sleep 0.1
done
[ -n "$window" ] || { cat "$root/tmp/app.log" >&2; die "no window within 30 s"; }
mapped_ms=$(ms_since_start)

# Painted: the window's area in the frame buffer holds the UI (text, colours), not one flat
# colour. Counted on the host from Xvfb's frame buffer file.
geometry="$(in_root DISPLAY=":$display" xwininfo -id "$window" |
  awk '/Absolute upper-left X/ {x=$NF} /Absolute upper-left Y/ {y=$NF} /Width:/ {w=$NF} /Height:/ {h=$NF} END {printf "%dx%d+%d+%d", w, h, x, y}')"
colours=0
painted_ms=""
for _ in $(seq 300); do
  colours="$(convert "xwd:$root/tmp/fb/Xvfb_screen0" -crop "$geometry" +repage -format %k info: 2>/dev/null || echo 0)"
  if [ "$colours" -ge 32 ]; then painted_ms=$(ms_since_start); break; fi
  kill -0 "$app_pid" 2>/dev/null || { cat "$root/tmp/app.log" >&2; die "the app exited before it painted"; }
  sleep 0.1
done
[ -n "$painted_ms" ] || { cat "$root/tmp/app.log" >&2; die "the window did not paint within 30 s ($colours colours)"; }
while [ "$(ms_since_start)" -lt $((hold * 1000)) ]; do
  kill -0 "$app_pid" 2>/dev/null || { cat "$root/tmp/app.log" >&2; die "the app exited after $(ms_since_start) ms"; }
  sleep 0.2
done
kill -0 "$app_pid" 2>/dev/null || die "the app exited"
convert "xwd:$root/tmp/fb/Xvfb_screen0" -crop "$geometry" +repage "$cache/screen.png"
log "window $geometry mapped after $mapped_ms ms, painted ($colours colours) after $painted_ms ms, still running after $hold s"
echo "deb-smoke: OK  $(basename "$deb") ($(stat -c %s "$deb") bytes): installs on a clean Debian 12 with $new_pkgs packages (+$added_mb MiB) in $install_s s, starts and paints under Xvfb; screenshot $cache/screen.png"
