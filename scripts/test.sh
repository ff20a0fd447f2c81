#!/usr/bin/env bash
# Everything CI checks, in order: install what is missing, build the UI, lint (rustfmt,
# clippy -D warnings, svelte-check), Rust tests (core against a real okpay-staging on
# loopback; keychain tests against a real Secret Service in a throw-away keyring), UI tests
# (vitest, then Playwright in headless Chromium), the real-app end-to-end test under Xvfb,
# and the API contract (schemathesis against okpay-staging).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
log="$(mktemp /tmp/okpay-test.XXXXXX.log)"
exec > >(tee "$log") 2>&1
start=$SECONDS
step() { printf '\n==> [%4ds] %s\n' "$((SECONDS - start))" "$*"; }

step "dependencies"
scripts/deps.sh test

step "UI: build, type-check, unit tests"
(cd ui && npm run --silent build && npm run --silent check && npm run --silent test)

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Android: the mobile code paths type-check (aarch64-linux-android, no NDK)"; scripts/mobile-check.sh

step "Rust tests (keychain tests run against a throw-away Secret Service)"
scripts/with-keyring.sh cargo test --workspace --exclude okpay-e2e --locked -- --include-ignored

step "UI screens in headless Chromium"
(cd ui && npm run --silent test:browser)

step "end-to-end: the real app under Xvfb against okpay-staging"
cargo build --locked -p okpay-app -p okpay-staging
scripts/e2e.sh

step "the contract: schemathesis, every phase, against a real okpay-staging"
scripts/schemathesis.sh

step "all checks passed in $((SECONDS - start)) s"
# One closing line with the counts of every runner above (cargo, vitest, node:test).
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^ *Tests +[0-9]+ passed/ { p += $2 }
  /^# pass [0-9]+$/ { p += $3 }
  /^# fail [0-9]+$/ { f += $3 }
  END { printf "okpay: %d passed, %d failed\n", p, f }'
rm -f "$log"
