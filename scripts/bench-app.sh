#!/usr/bin/env bash
# Bench of the release app against its goals; prints one table. Not part of scripts/test.sh.
#   - release binary size (goal < 15 MB) and .deb size: from scripts/release-deb.sh's build
#   - cold start to first paint under Xvfb (goal < 1 s): see measure_start below
#   - peak RSS during the E2E happy path (goal < 200 MB): see measure_rss below
#   - peak RSS with the live camera running, frames judged a second, frame-to-outline time
# Like scripts/run.sh it uses the debug okpay-staging binary and a throw-away keyring
# (scripts/with-keyring.sh), here on a private Xvfb and a free port.
#
# Usage: scripts/bench-app.sh            (build first: scripts/release-deb.sh)
# OKPAY_BENCH_RUNS=N start runs (default 5). OKPAY_BENCH_DROP_CACHES=1 (root) empties the
# page cache before each start, so every start also reads the binary and libraries from disk.
# OKPAY_BENCH_FLOW=0 skips the E2E flow (and its peak RSS): only sizes, starts and idle memory.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
runs="${OKPAY_BENCH_RUNS:-5}"
app="$CARGO_TARGET_DIR/release/okpay-app"
debs=("$CARGO_TARGET_DIR"/release/bundle/deb/*.deb)

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$app" ] || die "$app is missing; run scripts/release-deb.sh first"
[ -f "${debs[0]}" ] || die "no .deb under $CARGO_TARGET_DIR/release/bundle/deb; run scripts/release-deb.sh first"
scripts/deps.sh test
cargo build --locked -j 2 -p okpay-staging

work="$(mktemp -d "${TMPDIR:-/tmp}/okpay-bench.XXXXXX")"
pids=()
cleanup() {
  local status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The measuring side, in Python (standard library only).
cat >"$work/measure.py" <<'PY'
"""Measures OKPay Wallet: `start` (exec to first paint) and `rss` (peak memory of a flow)."""
import os, signal, statistics, struct, subprocess, sys, time


def xwd_reader(path):
    """Returns read() -> (mapped, colours): Xvfb's -fbdir frame buffer, a sampled grid."""
    fd = os.open(path, os.O_RDONLY)
    head = os.pread(fd, 100, 0)
    f = struct.unpack(">25I", head)
    header, width, height, bpp, bpl, ncolors = f[0], f[4], f[5], f[11], f[12], f[19]
    if bpp != 32:
        sys.exit(f"frame buffer with {bpp} bits per pixel; start Xvfb with 24-bit depth")
    data = header + ncolors * 12

    def read():
        colours = set()
        for y in range(0, height, 4):
            row = os.pread(fd, bpl, data + y * bpl)
            colours.update(memoryview(row).cast("I")[: width : 4])
        # Xvfb -br: an empty screen is all black.
        return len(colours - {0}) > 0, len(colours)

    return read


def tree_usage(root):
    """Sum of VmRSS and of PSS (KiB) over a process and all its descendants."""
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, grew = {root}, True
    while grew:
        more = {p for p, pp in parent.items() if pp in tree} - tree
        tree |= more
        grew = bool(more)
    return (sum(kib(p, "VmRSS") for p in tree),
            sum(kib(p, "Pss", "smaps_rollup") for p in tree))


def start(app, runs, fb, drop_caches):
    """Exec the app N times, each with empty data/cache dirs, and time the first mapped
    pixel (the window) and first paint (the window holds the rendered UI: >= 32 colours)."""
    read = xwd_reader(fb)
    results = []
    for i in range(runs):
        home = os.path.join(os.environ["BENCH_WORK"], f"start-{i}")
        env = dict(os.environ, HOME=home, XDG_DATA_HOME=f"{home}/data",
                   XDG_CACHE_HOME=f"{home}/cache", XDG_CONFIG_HOME=f"{home}/config")
        os.makedirs(home)
        if read()[0]:
            sys.exit("the screen is not empty before the start")
        if drop_caches:
            os.sync()
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("3\n")
        t0 = time.monotonic()
        proc = subprocess.Popen([app], env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=open(f"{home}/app.log", "w"))
        mapped = painted = None
        while time.monotonic() - t0 < 30:
            shown, colours = read()
            now = time.monotonic() - t0
            if shown and mapped is None:
                mapped = now
            if colours >= 32:
                painted = now
                break
            if proc.poll() is not None:
                sys.exit(f"the app exited with {proc.returncode}; log in {home}/app.log")
            time.sleep(0.005)
        if i == runs - 1 and painted is not None:
            time.sleep(3)  # idle on the first screen
            idle = tree_usage(proc.pid)
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if painted is None:
            sys.exit("no first paint within 30 s")
        for _ in range(500):  # the window is gone before the next run
            if not read()[0]:
                break
            time.sleep(0.01)
        results.append((mapped, painted))
        print(f"run {i + 1}: window {mapped * 1000:.0f} ms, first paint {painted * 1000:.0f} ms",
              file=sys.stderr)
    paints = [p for _, p in results]
    maps = [m for m, _ in results]
    with open(os.path.join(os.environ["BENCH_WORK"], "start.out"), "w") as out:
        out.write(f"{results[0][1] * 1000:.0f} {statistics.median(paints) * 1000:.0f} "
                  f"{max(paints) * 1000:.0f} {statistics.median(maps) * 1000:.0f} "
                  f"{idle[0] * 1024 / 1e6:.0f} {idle[1] * 1024 / 1e6:.0f}\n")


def kib(pid, field, source="status"):
    try:
        with open(f"/proc/{pid}/{source}") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss(app, stop_file):
    """Until stop_file exists, every 100 ms: each launch of the app (a process running its
    binary) with everything it started (WebKitWebProcess, WebKitNetworkProcess, ...): their
    VmHWM (peak RSS per process, kept by the kernel) and the sum of their current VmRSS."""
    app = os.path.realpath(app)
    hwm, names, launch_of, peak_sum, peak_pss = {}, {}, {}, 0, 0
    while not os.path.exists(stop_file):
        parent = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as f:
                        parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        for pid in parent:
            if pid not in launch_of:
                try:
                    if os.readlink(f"/proc/{pid}/exe") == app:
                        launch_of[pid] = launch_of.get(parent[pid], pid)
                except OSError:
                    pass
        grew = True
        while grew:
            more = {p: launch_of[pp] for p, pp in parent.items()
                    if pp in launch_of and p not in launch_of}
            launch_of.update(more)
            grew = bool(more)
        totals, pss = {}, {}
        for pid in parent:
            if pid in launch_of:
                hwm[pid] = max(hwm.get(pid, 0), kib(pid, "VmHWM"))
                totals[launch_of[pid]] = totals.get(launch_of[pid], 0) + kib(pid, "VmRSS")
                pss[launch_of[pid]] = pss.get(launch_of[pid], 0) + kib(pid, "Pss", "smaps_rollup")
                try:
                    with open(f"/proc/{pid}/comm") as f:
                        names[pid] = f.read().strip()
                except OSError:
                    pass
        peak_sum = max([peak_sum, *totals.values()])
        peak_pss = max([peak_pss, *pss.values()])
        time.sleep(0.1)
    mb = lambda k: k * 1024 / 1e6
    per_launch = {}
    for pid, k in hwm.items():
        per_launch.setdefault(launch_of[pid], {}).setdefault(names.get(pid, "?"), []).append(k)
    if not per_launch:
        print("0 0 0 0 none")
        return
    top = max(per_launch.values(), key=lambda d: sum(map(sum, d.values())))
    total = sum(map(sum, top.values()))
    detail = ", ".join(f"{n}{'' if len(k) == 1 else f' x{len(k)}'} {mb(sum(k)):.0f}"
                       for n, k in sorted(top.items(), key=lambda x: -sum(x[1])))
    print(f"{mb(total):.0f} {mb(peak_sum):.0f} {mb(peak_pss):.0f} {len(per_launch)} {detail}")


if __name__ == "__main__":
    if sys.argv[1] == "start":
        start(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1")
    else:
        rss(sys.argv[2], sys.argv[3])
PY

# A private Xvfb whose frame buffer is a file (-fbdir), on a black root window (-br).
mkdir -p "$work/fb"
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -br -fbdir "$work/fb" \
  3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
display=""
for _ in $(seq 100); do
  display="$( (tr -d '[:space:]' <"$work/display") 2>/dev/null || true)"
  [ -n "$display" ] && xdpyinfo -display ":$display" >/dev/null 2>&1 && break
  display=""
  sleep 0.1
done
[ -n "$display" ] || die "Xvfb did not start"

# The staging server on a free port with a throw-away data dir.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$CARGO_TARGET_DIR/debug/okpay-staging" --listen "127.0.0.1:$port" --data "$work/staging" \
  >"$work/staging.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || die "okpay-staging did not start"

# measure_start: exec → first paint, timed from the outside. The frame buffer file is polled
# every ~5-10 ms on a grid of every 4th pixel of every 4th row. "Window" is the first
# non-black pixel (GTK has mapped and filled the window); "first paint" is the first poll
# with >= 32 colours, which only the rendered UI (text, anti-aliasing, the badge) gives; a
# mapped but empty webview is one or two colours. Each start gets empty HOME/XDG dirs, so the
# webview has no cache from an earlier run: a first launch of the app.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "==> $runs starts of $app under Xvfb :$display (staging on 127.0.0.1:$port; load $load_before on $(nproc) CPUs)"
drop="${OKPAY_BENCH_DROP_CACHES:-0}"
[ "$drop" = 1 ] && [ "$(id -u)" -ne 0 ] && die "OKPAY_BENCH_DROP_CACHES=1 needs root"
DISPLAY=":$display" GDK_BACKEND=x11 NO_AT_BRIDGE=1 OKPAY_API_URL="http://127.0.0.1:$port" \
  BENCH_WORK="$work" scripts/with-keyring.sh python3 "$work/measure.py" start "$app" "$runs" \
  "$work/fb/Xvfb_screen0" "$drop" >"$work/start.log" 2>&1 ||
  { tail -n 30 "$work/start.log" >&2; die "the start measurement failed"; }
grep '^run ' "$work/start.log" | sed 's/^/    /'
read -r first_ms median_ms max_ms window_ms idle_rss_mb idle_pss_mb <"$work/start.out"
# The renderer the app chose (src-tauri/src/webview.rs: no GPU render node -> no compositing).
renderer="$(sed 's/\x1b\[[0-9;]*m//g' "$work/start-0/app.log" 2>/dev/null | grep -o 'compositing=[a-z]*' | head -n1 || true)"

# measure_rss: the E2E happy path (sign in, form, both photos, submit, approved) with the
# release binary, through scripts/e2e.sh (its own Xvfb, keyring, tauri-driver and staging),
# sampled every 100 ms. Peak = the sum over the app's processes of each one's VmHWM: an upper
# bound of the real peak, as the processes need not peak at the same moment, and shared pages
# (WebKit's libraries, shared memory between the UI and web processes) count once per
# process. Shown next to it: the largest sampled sum of VmRSS, and of PSS (smaps_rollup),
# which splits each shared page between the processes that map it.
flow_on="${OKPAY_BENCH_FLOW:-1}"
e2e_status=0
hwm_mb="-" rss_mb="-" pss_mb="-" launches=0 detail="not measured (OKPAY_BENCH_FLOW=0)"
if [ "$flow_on" = 1 ]; then
  echo "==> peak RSS during the E2E happy path"
  # scripts/e2e.sh needs 127.0.0.1:4444 and :4445; another E2E run may hold them for a while.
  port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  for i in $(seq 600); do
    port_busy 4444 || port_busy 4445 || break
    [ "$i" -eq 1 ] && echo "    waiting for another E2E run to free ports 4444/4445 (up to 10 min)"
    sleep 1
  done
  "$(command -v python3)" "$work/measure.py" rss "$app" "$work/rss.stop" >"$work/rss.out" &
  sampler=$!
  pids+=("$sampler")
  OKPAY_E2E_APP="$app" scripts/e2e.sh happy_path >"$work/e2e.log" 2>&1 || e2e_status=$?
  grep -E '^test |^e2e: finished' "$work/e2e.log" | sed 's/^/    /' || true
  touch "$work/rss.stop"
  wait "$sampler" || true
  hwm_mb="?" rss_mb="?" pss_mb="?" launches=0 detail=""
  read -r hwm_mb rss_mb pss_mb launches detail <"$work/rss.out" || true
  if [ "$e2e_status" -ne 0 ]; then
    tail -n 40 "$work/e2e.log" >&2
    echo "bench: the E2E happy path failed ($e2e_status); its RSS figures are not a full flow" >&2
  fi
fi

# The same sampling while the capture screen runs WebKit's mock camera (1920 x 1080 at 15 fps)
# for a few seconds: the camera E2E scenario (frames judged a second and frame-to-outline
# time are printed by the test).
cam_hwm="-" cam_pss="-" cam_detail="not measured" cam_rate="-"
if [ "$flow_on" = 1 ]; then
  echo "==> peak RSS with the camera running"
  rm -f "$work/cam.stop"
  "$(command -v python3)" "$work/measure.py" rss "$app" "$work/cam.stop" >"$work/cam.out" &
  sampler=$!
  pids+=("$sampler")
  OKPAY_E2E_APP="$app" scripts/e2e.sh --nocapture the_camera_is_used_only_on_the_capture_screen \
    >"$work/cam.log" 2>&1 || e2e_status=$?
  touch "$work/cam.stop"
  wait "$sampler" || true
  read -r cam_hwm _ cam_pss _ cam_detail <"$work/cam.out" || true
  cam_rate="$(sed -n 's/^camera: //p' "$work/cam.log" | head -n 1)"
fi

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { if (v !~ /^[0-9.]+$/) print "?"; else print (v + 0 < g + 0) ? "ok" : "OVER" }'; }
bin_bytes="$(stat -c %s "$app")"
deb_bytes="$(stat -c %s "${debs[0]}")"
flow="happy path"
[ "$e2e_status" -eq 0 ] || flow="FAILED flow"
[ "$flow_on" = 1 ] || flow="flow skipped"
echo
printf '%-44s %-26s %-10s %s\n' "measure" "value" "goal" "result"
printf '%-44s %-26s %-10s %s\n' "release binary size" "$(mb "$bin_bytes") ($bin_bytes B)" "< 15 MB" "$(verdict "$bin_bytes" 15000000)"
printf '%-44s %-26s %-10s %s\n' ".deb size" "$(mb "$deb_bytes") ($deb_bytes B)" "-" "-"
printf '%-44s %-26s %-10s %s\n' "start to first paint, first of $runs runs" "$first_ms ms" "< 1000 ms" "$(verdict "$first_ms" 1000)"
printf '%-44s %-26s %-10s %s\n' "start to first paint, median (max) of $runs" "$median_ms ms ($max_ms ms)" "< 1000 ms" "$(verdict "$median_ms" 1000)"
printf '%-44s %-26s %-10s %s\n' "start to window mapped, median" "$window_ms ms" "-" "-"
printf '%-44s %-26s %-10s %s\n' "peak RSS, $flow: sum of VmHWM" "$hwm_mb MB" "< 200 MB" "$(verdict "$hwm_mb" 200)"
printf '%-44s %-26s %-10s %s\n' "  max sampled sum of VmRSS / of PSS" "$rss_mb MB / $pss_mb MB" "-" "-"
printf '%-44s %-26s %-10s %s\n' "peak with the camera running: VmHWM / PSS" "$cam_hwm MB / $cam_pss MB" "-" "-"
echo "    camera: ${cam_rate:-no figures}; processes (VmHWM, MB): $cam_detail"
printf '%-44s %-26s %-10s %s\n' "idle on the first screen: VmRSS / PSS" "$idle_rss_mb MB / $idle_pss_mb MB" "-" "-"
echo "    processes (VmHWM, MB): ${detail:-none seen}; app launches seen: ${launches:-0}"
echo "    webview: ${renderer:-renderer not logged}; VmRSS counts shared library pages once per process, PSS splits them"
echo "    load average before the starts: $load_before ($(nproc) CPUs); start times grow with load"
[ "$e2e_status" -eq 0 ] || exit 1
