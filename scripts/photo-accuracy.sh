#!/usr/bin/env bash
# Accuracy report of the photo quality engine on synthetic fixtures: per class (clean on
# plain / textured / busy / ruled / striped backgrounds, blurred, dark, overexposed, glare, shadow, corner cut,
# too small, low resolution, duplicate pairs) the false accepts, false rejects, cards not
# found and quad IoU. Same fixtures on every run (fixed seed).
#
#   scripts/photo-accuracy.sh [N per class (40)] [seed] [relaxed|normal|strict]
#
# OKPAY_ACCURACY_DUMP=DIR also writes every fixture to DIR and prints its verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec cargo run -p okpay-photo --release --example photo_accuracy -j2 -- "$@"
