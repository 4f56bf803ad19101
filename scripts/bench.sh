#!/usr/bin/env bash
# Runs the benchmarks of SPEC §6 once: builds and installs the package if needed, then
# bench/bench.mjs prints each figure beside its baseline and budget.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ ! -f pkg/index.js ] || [ -n "$(find src wasm/src wasm/js Cargo.toml wasm/Cargo.toml -newer pkg/index.js 2>/dev/null | head -n1)" ]; then
  bash scripts/build.sh
fi
if [ ! -f node_modules/nova-states/package.json ] || [ pkg/index.js -nt node_modules/nova-states/index.js ]; then
  bash scripts/install-pack.sh
fi
# Both run even when one misses a budget; the exit status says whether all budgets were met.
status=0
node bench/bench.mjs || status=1
node bench/page.mjs || status=1
exit "$status"
