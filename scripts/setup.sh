#!/usr/bin/env bash
# Installs, idempotently and only what is missing, everything the build and the tests need on a fresh machine
# of this kind (Debian, Rust from rustup, registries only). Every step checks before it installs, so a second run
# takes seconds. See README.md ("How it is built") for why each pin is what it is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

TRUNK_VERSION=0.21.14
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# --- Rust: the wasm target -------------------------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# --- Debian packages: Chromium and its driver, from the same source so they match ------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# Debian's binaryen (wasm-opt 108) reports success and emits a module that fails at start-up in the browser.
# The npm binaryen below is first on PATH; removing Debian's makes a wrong PATH a loud error instead.
if dpkg -s binaryen >/dev/null 2>&1; then
  log "removing Debian's binaryen (wasm-opt 108 miscompiles this app)"
  apt-get remove -y -qq binaryen >/dev/null
fi

# --- cargo tools: trunk, and wasm-bindgen-cli at exactly the version in Cargo.lock -----------------------------
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "cargo install trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then
  echo "setup: cannot read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  log "cargo install wasm-bindgen-cli $wb_version (about 5 minutes)"
  # --locked fails for 0.2.130: its lockfile pins a crate version the registry here lacks.
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# --- npm tools in a project-local folder with a lockfile: binaryen 132 (wasm-opt), Playwright, mermaid, axe-core
# Reinstall when the lockfile's content changed (mtimes say nothing in a fresh clone) or a tool went missing.
lock_sum=$(sha256sum tools/package-lock.json | cut -d' ' -f1)
if [ "$(cat tools/node_modules/.installed-lock 2>/dev/null || true)" != "$lock_sum" ] \
  || [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -x tools/node_modules/.bin/playwright ]; then
  log "npm ci in tools/"
  (cd tools && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >tools/node_modules/.installed-lock
fi
if [ "$(tools/node_modules/.bin/wasm-opt --version)" != "wasm-opt version 132 (version_132)" ]; then
  echo "setup: tools/node_modules/.bin/wasm-opt is not binaryen 132" >&2
  exit 1
fi

# --- cargo dependencies, so that trunk can build with --offline -------------------------------------------------
cargo fetch --locked >/dev/null

log "ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $("$root/tools/node_modules/.bin/wasm-opt" --version | awk '{print $3}'), $(chromium --version)"
