#!/usr/bin/env bash
# Installs everything the build, the tests and the page need, skipping what is already there.
# Safe to run again: each step checks first. Used by scripts/test.sh and scripts/serve.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# The wasm-bindgen version wasm-pack must find on PATH: exactly the one in Cargo.lock.
bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ ! -f Cargo.lock ]; then
  cargo generate-lockfile
fi

want_pack=0.15.1
if ! wasm-pack --version 2>/dev/null | grep -q "$want_pack"; then
  say "installing wasm-pack $want_pack (about 2 minutes)"
  cargo install wasm-pack --version "=$want_pack"
fi

want_bindgen=$(bindgen_version)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $want_bindgen\$\| $want_bindgen "; then
  say "installing wasm-bindgen-cli $want_bindgen (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "=$want_bindgen" --force
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
say "ready"
