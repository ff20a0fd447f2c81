#!/usr/bin/env bash
# The card reader's accuracy report on drawn cards (release build):
#   scripts/ocr-accuracy.sh [N cards] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/ocr-models.sh
exec cargo run -p okpay-ocr --release --example ocr_accuracy -j2 -- "$@"
