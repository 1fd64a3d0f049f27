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
# One mock without a model, then a fresh one with a model (--model).
run_against() { # ARTIFACTS ASSIST [mock args...]
  local art=$1 assist=$2; shift 2
  local log pid url rc=0
  log=$(mktemp)
  node "$HERE/mock_server.js" --port 0 "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do grep -q '^listening on ' "$log" && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$log")
  if [ -z "$url" ]; then echo "run-mock.sh: the mock did not start" >&2; cat "$log" >&2; rc=1
  else
    CS_WEB_URL="$url" CS_OPTOUT_TOKEN=tok-us CS_OPTOUT_MEMBER=m-us CS_EU_TOKEN=tok-de CS_ARTIFACTS="$art" \
      CS_ASSIST="$assist" node "$HERE/page.test.js" || rc=$?
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
  return "$rc"
}
run_against "$ART" off
run_against "$ART-model" on --model
