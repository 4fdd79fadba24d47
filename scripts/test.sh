#!/usr/bin/env bash
# Sets up (idempotently) and runs every test: formatting, lints, native unit/property/CLI tests, browser
# component tests in Chromium, the release build with its size budget, and Playwright journeys against it.
# Usage: scripts/test.sh            (everything; what CI runs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/setup.sh
export PATH="$root/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=180

step() { printf '\n\033[1;36m== %s ==\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets) -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo clippy (wasm32 app and exporters) -D warnings"
cargo clippy -p vpn-designer -p vpn-designer-exporter --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "native tests (core, CLI)"
cargo test --workspace --locked

step "browser component tests (wasm-bindgen-test in headless Chromium)"
cargo test -p vpn-designer --target wasm32-unknown-unknown --locked

if [ -x scripts/validate-exports.sh ]; then
  step "exports through real validators"
  bash scripts/validate-exports.sh
fi

step "release build (trunk)"
trunk build --release
bash scripts/bundle-size.sh

step "end-to-end journeys (Playwright in Chromium)"
ln -sfn ../tools/node_modules e2e/node_modules
(cd e2e && playwright test -c playwright.config.mjs)

step "all tests passed"
