# Shared settings for the project's scripts (sourced, not run).
# One cargo target dir for the whole workspace, kept outside the clone so that a fresh clone
# reuses what an earlier build of this machine compiled (a cold one works too).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/okpay-target}"
export PATH="$HOME/.cargo/bin:$PATH"
# The card reader's models, unpacked by scripts/ocr-models.sh (never in the clone).
export OKPAY_OCR_MODELS="${OKPAY_OCR_MODELS:-/var/tmp/okpay-cache/ocr/pp-ocrv6-small-f16}"
mkdir -p "$CARGO_TARGET_DIR"
