#!/usr/bin/env bash
# Builds the npm package into pkg/: the main WebAssembly module (checks and validation) and
# the descriptive one (the `describe` feature) with wasm-pack, the code tables wasm/build.rs
# writes into wasm/js/generated/, then scripts/package.mjs bundles the entry files. A third
# module, for the tests only (target/wasm/core), carries the core's own check.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-pack takes the first wasm-opt on PATH: binaryen 132 from node_modules, not Debian's.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ ! -x node_modules/.bin/wasm-opt ]; then
  echo "[build] node_modules/.bin/wasm-opt is missing: run scripts/setup.sh first" >&2
  exit 1
fi

export NOVA_STATES_JS_OUT="$PWD/wasm/js/generated"
# The main module at opt-level 3: "z" (LEAN_OPT_LEVEL=z) is 4 KB gzipped smaller and about
# 1.4x slower per call (docs/performance.md).
CARGO_PROFILE_RELEASE_OPT_LEVEL=${LEAN_OPT_LEVEL:-3} wasm-pack build wasm --target web --release --out-dir ../target/wasm/lean --out-name nova_states --no-pack -- --features lean
# The describe module at opt-level 3 and wasm-opt -Oz --converge: "z" (DESCRIBE_OPT_LEVEL=z) is
# about 10 KB gzipped smaller but halves the batch reader's speed, which then sits at its budget
# (docs/performance.md).
CARGO_PROFILE_RELEASE_OPT_LEVEL=${DESCRIBE_OPT_LEVEL:-3} wasm-pack build wasm --target web --release --no-opt --out-dir ../target/wasm/describe --out-name nova_states --no-pack -- --features describe
wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue target/wasm/describe/nova_states_bg.wasm -o target/wasm/describe/nova_states_bg.wasm
# The tests' module: the describe module with the core's own check and validation
# (`checkRecord`, `validateRecord`, the `core-check` feature), which the JS tests hold the
# package's answers equal to. Never shipped: the describe build's compiled dependencies are
# reused and wasm-opt skipped (about 7 s). Its glue goes beside the others in
# wasm/js/generated/ (tests/js/core.mjs instantiates it).
CARGO_PROFILE_RELEASE_OPT_LEVEL=${DESCRIBE_OPT_LEVEL:-3} wasm-pack build wasm --target web --release --no-opt --out-dir ../target/wasm/core --out-name nova_states --no-pack -- --features core-check
cp target/wasm/core/nova_states.js "$NOVA_STATES_JS_OUT/core-glue.js"
cp target/wasm/core/nova_states_bg.wasm "$NOVA_STATES_JS_OUT/core.wasm"
node scripts/package.mjs
echo "[build] pkg/ ready: $(cd pkg && ls | tr '\n' ' ')"
