#!/usr/bin/env bash
# Photo engine against its OpenCV peer (issue 4), on the 12 MP test photos; prints one table.
# Not part of scripts/test.sh.
#   - generates the photos with the peer kit's make_photo.py into $CARGO_TARGET_DIR/photo-bench
#   - runs the OpenCV peer: opencv_peer.py --threads 1 --runs 9 --json --truth quad_truth.json
#   - runs benches/photo.rs of okpay-photo (same measure: from bytes in memory, CPU ms of the
#     calling thread, median of 9 after a warm-up), one process per file so each peak RSS is
#     that file's own
#   - table: ours / OpenCV for the verdict and verdict + upload, ours / libjpeg-turbo's 1/4
#     decode (the peer's decode_ms at 1/4), peak heap and RSS, quad IoU of both.
# Goals: verdict <= 0.9x OpenCV and <= 1.3x the 1/4 decode; verdict + upload <= 0.9x OpenCV;
# peak memory < 64 MB.
#
# Usage: scripts/bench-photo.sh
# With nasm installed the engine is built with okpay-photo' `simd` feature (libjpeg-turbo's
# SIMD decode and encode); OKPAY_PHOTO_FEATURES overrides ("" for none).
# OKPAY_PEER_DIR: the peer kit (default ../shared/bench/photo). OKPAY_PHOTO_VENV: a Python venv
# with its requirements (default /tmp/photo-venv if present, else one made under the target dir).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
peer="${OKPAY_PEER_DIR:-../shared/bench/photo}"
[ -f "$peer/opencv_peer.py" ] || { echo "bench-photo: no peer kit at $peer" >&2; exit 1; }
photos="$CARGO_TARGET_DIR/photo-bench"
venv="${OKPAY_PHOTO_VENV:-}"
if [ -z "$venv" ]; then
  if [ -x /tmp/photo-venv/bin/python ]; then venv=/tmp/photo-venv; else venv="$CARGO_TARGET_DIR/photo-venv"; fi
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$peer/requirements.txt"
fi
py="$venv/bin/python"
mkdir -p "$photos"
[ -f "$photos/quad_truth.json" ] || "$py" "$peer/make_photo.py" "$photos" >/dev/null
files=(card_12mp.jpg card_12mp_o6.jpg card_12mp_progressive.jpg card_12mp.png card_12mp.webp)

if [ -z "${OKPAY_PHOTO_FEATURES+x}" ]; then
  if command -v nasm >/dev/null; then OKPAY_PHOTO_FEATURES=simd; else OKPAY_PHOTO_FEATURES=; fi
fi
feat=()
[ -n "$OKPAY_PHOTO_FEATURES" ] && feat=(--features "$OKPAY_PHOTO_FEATURES")
echo "okpay-photo features: ${OKPAY_PHOTO_FEATURES:-none}"

out="$(mktemp -d "${TMPDIR:-/tmp}/okpay-bench-photo.XXXXXX")"
trap 'rm -rf "$out"' EXIT
cargo bench -j 2 -p okpay-photo "${feat[@]}" --bench photo --no-run
for f in "${files[@]}"; do
  "$py" "$peer/opencv_peer.py" --threads 1 --runs 9 --json --truth "$photos/quad_truth.json" "$photos/$f" >>"$out/peer.jsonl"
  cargo bench -q -j 2 -p okpay-photo "${feat[@]}" --bench photo -- --runs 9 "$photos/$f" 2>/dev/null >>"$out/ours.jsonl"
done

"$py" - "$out/peer.jsonl" "$out/ours.jsonl" <<'PY'
import json, os, sys
peer = {os.path.basename(j["file"]): j for j in map(json.loads, open(sys.argv[1]))}
ours = {os.path.basename(j["file"]): j for j in map(json.loads, open(sys.argv[2]))}
def f(v, d=1):
    return "-" if v is None else f"{v:.{d}f}"
def ratio(a, b):
    return None if a is None or not b else a / b
print("CPU ms of the calling thread, median of 9 (one core); ratios ours / OpenCV, ours / libjpeg-turbo 1/4 decode")
print("| file | verdict ours | OpenCV | ratio | / 1/4 decode | verdict+upload ours | OpenCV | ratio | peak heap MB | peak RSS MB ours / OpenCV | quad IoU ours / OpenCV |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name, o in ours.items():
    p = peer.get(name, {})
    if "error" in o:
        print(f"| {name} | error {o['error']} |"); continue
    q4 = (p.get("decode_ms") or {}).get("1/4")
    print(f"| {name} | {f(o['verdict_ms'])} | {f(p.get('verdict_ms'))} | {f(ratio(o['verdict_ms'], p.get('verdict_ms')), 2)} "
          f"| {f(ratio(o['verdict_ms'], q4), 2)} | {f(o['verdict_upload_ms'])} | {f(p.get('verdict_upload_ms'))} "
          f"| {f(ratio(o['verdict_upload_ms'], p.get('verdict_upload_ms')), 2)} | {f(o['peak_heap_mb'])} "
          f"| {f(o.get('peak_rss_mb'))} / {f(p.get('peak_rss_mb'))} | {f(o.get('quad_iou'), 3)} / {f(p.get('quad_iou'), 3)} |")
print()
print("our stages (CPU ms), card_12mp.jpg:", json.dumps(ours.get("card_12mp.jpg", {}).get("stages_ms")))
PY
