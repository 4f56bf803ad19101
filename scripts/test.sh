#!/usr/bin/env bash
# Runs every test: the Rust core, the wasm binding, the npm package as users install it
# (Node, TypeScript, bundlers, a plain browser page) and the web page in headless Chromium.
# Installs whatever is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

bash scripts/setup.sh

echo "== cargo test (core)"
cargo test --workspace --exclude nova-states-wasm
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "== biome lint (the package's JS entries, scripts, benchmarks)"
biome lint --error-on-warnings

echo "== build the npm package"
bash scripts/build.sh

echo "== wasm-bindgen tests of the binding layer"
(cd wasm && wasm-pack test --node --release)

echo "== node --test (package, types, browser page, and the consumer matrix: every bundler and runtime)"
bash scripts/install-pack.sh
node --test --test-concurrency=1 tests/js/ tests/browser/ tests/consumers/consumers.test.mjs
