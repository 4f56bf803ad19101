#!/usr/bin/env bash
# The one command: installs the tools, builds the npm package, installs it the way a user would,
# builds the page with Vite and serves it on http://127.0.0.1:${PORT:-8080}/ (offline).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

bash scripts/setup.sh
bash scripts/build.sh
bash scripts/install-pack.sh

echo "== vite build (www -> www/dist)"
node_modules/.bin/vite build --config www/vite.config.js --logLevel warn

PORT="${PORT:-8080}"
export PORT
url="http://127.0.0.1:${PORT}/"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xdg-open >/dev/null 2>&1; then
  (sleep 1; xdg-open "$url" >/dev/null 2>&1 || true) &
fi
echo "== serving www/dist at $url"
exec node scripts/serve.mjs www/dist
