#!/usr/bin/env bash
# The card reader's bench (crates/okpay-ocr/benches/read.rs: model load, one side read, the
# networks on their own, heap), then the same models on the same input tensors in
# onnxruntime (PyPI, pinned), on 2 threads each, and the ratio rten / onnxruntime.
#   OKPAY_OCR_VENV: a Python venv with onnxruntime and numpy (default: one under the target dir).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/ocr-models.sh
venv="${OKPAY_OCR_VENV:-$CARGO_TARGET_DIR/ocr-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet onnxruntime==1.32.0 numpy==2.4.6
fi
tensors="$(mktemp -d)"
trap 'rm -rf "$tensors"' EXIT
out="$(RTEN_NUM_THREADS=2 OKPAY_OCR_TENSORS="$tensors" cargo bench -p okpay-ocr --bench read -j2 2>/dev/null)"
echo "$out" | grep -v '^det_ms'
rten="$(echo "$out" | grep '^det_ms')"
# onnxruntime takes the float32 weights rten widens the stored float16 ones to: the same numbers.
mkdir "$tensors/models"
for n in det rec; do
  python3 scripts/ocr-half.py widen "$OKPAY_OCR_MODELS/$n.onnx" "$tensors/models/$n.onnx"
done
ort="$("$venv/bin/python" scripts/bench-ocr.py "$tensors" "$tensors/models")"
python3 - "$rten" "$ort" <<'PY'
import sys
r, o = sys.argv[1].split(), sys.argv[2].split()
rd, rr, od, orr = float(r[1]), float(r[3]), float(o[1]), float(o[3])
print(f"same tensors, 2 threads: detector rten {rd:.0f} ms / onnxruntime {od:.0f} ms = {rd / od:.2f}x; "
      f"recognizer {rr:.0f} / {orr:.0f} ms = {rr / orr:.2f}x; both {(rd + rr) / (od + orr):.2f}x "
      f"({' '.join(o[4:])})")
PY
