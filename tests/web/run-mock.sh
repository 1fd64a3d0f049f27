#!/usr/bin/env bash
# run-mock.sh — the same browser test against mock_server.js (no C build
# needed): a quick loop while working on web/. Not a substitute for run.sh,
# which tests the page against the real `consentry serve`.
#   bash tests/web/run-mock.sh [ARTIFACTS_DIR]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ART=${1:-$HERE/../../build/test-artifacts/web-mock}
if [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
  (cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
LOG=$(mktemp)
node "$HERE/mock_server.js" --port 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 50); do grep -q '^listening on ' "$LOG" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$LOG")
[ -n "$URL" ] || { echo "run-mock.sh: the mock did not start" >&2; cat "$LOG" >&2; exit 1; }
CS_WEB_URL="$URL" CS_OPTOUT_TOKEN=tok-us CS_OPTOUT_MEMBER=m-us CS_EU_TOKEN=tok-de CS_ARTIFACTS="$ART" \
  node "$HERE/page.test.js"
