#!/usr/bin/env bash
# Sets up (idempotently) and serves the app on http://127.0.0.1:8080 with a release build, rebuilding on change.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$(pwd)/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
exec trunk serve --release --address 127.0.0.1 --port 8080
