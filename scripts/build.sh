#!/usr/bin/env bash
# Builds the npm package into pkg/: the main WebAssembly module (checks and validation) and
# the descriptive one (the `describe` feature) with wasm-pack, the code tables wasm/build.rs
# writes into wasm/js/generated/, then scripts/package.mjs bundles the entry files.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-pack takes the first wasm-opt on PATH: binaryen 132 from node_modules, not Debian's.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ ! -x node_modules/.bin/wasm-opt ]; then
  echo "[build] node_modules/.bin/wasm-opt is missing: run scripts/setup.sh first" >&2
  exit 1
fi

export NOVA_STATES_JS_OUT="$PWD/wasm/js/generated"
# The main module at opt-level "z": 4 KB gzipped smaller than "3", at no measured cost to the
# per-call figures (docs/performance.md); the describe module stays at 3 (its batch reader
# is 1.6x slower at "z").
CARGO_PROFILE_RELEASE_OPT_LEVEL=z wasm-pack build wasm --target web --release --out-dir ../target/wasm/lean --out-name nova_states --no-pack -- --features lean
wasm-pack build wasm --target web --release --out-dir ../target/wasm/describe --out-name nova_states --no-pack -- --features describe
node scripts/package.mjs
echo "[build] pkg/ ready: $(cd pkg && ls | tr '\n' ' ')"
