#!/usr/bin/env bash
# Packs pkg/ with npm and installs the tarball at the repository root (without touching
# package.json), so tests import 'nova-states' by name through its export conditions exactly as
# a user does. Safe to run again: replaces any earlier tarball and installed copy.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f pkg/package.json ]; then
  echo "[install-pack] pkg/ is not built: run scripts/build.sh first" >&2
  exit 1
fi
rm -f pkg/nova-states-*.tgz
tarball=$(cd pkg && npm pack --silent --pack-destination . | tail -n1)
npm install --no-save --no-audit --no-fund --no-package-lock "./pkg/$tarball" >/dev/null
echo "[install-pack] installed pkg/$tarball as node_modules/nova-states"
