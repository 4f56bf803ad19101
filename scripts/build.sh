#!/usr/bin/env bash
# Builds the npm package into pkg/: the wasm module and its JS glue (wasm-pack, web target),
# then the package's own files (scripts/package.mjs): package.json, the Node entry, the README.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-pack takes the first wasm-opt on PATH: binaryen 132 from node_modules, not Debian's.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ ! -x node_modules/.bin/wasm-opt ]; then
  echo "[build] node_modules/.bin/wasm-opt is missing: run scripts/setup.sh first" >&2
  exit 1
fi

wasm-pack build wasm --target web --release --out-dir ../pkg --out-name nova_states --no-pack
node scripts/package.mjs
echo "[build] pkg/ ready: $(cd pkg && ls | tr '\n' ' ')"
