#!/usr/bin/env bash
# run.sh — the browser test of the member page against the real server.
#
#   bash tests/web/run.sh BUILD/consentry [ARTIFACTS_DIR]
#
# Makes a fresh ledger (an opt-out member in the US, an excluded one in DE, a
# policy in force for all three purposes, a dataset and a tiny training run
# holding the US member's posts), issues both members a sign-in
# token, starts `consentry serve` on a free local port, runs page.test.js
# (playwright-core driving Debian's chromium) and stops the server; then
# again with the tiny run loaded as the model, for the suggestion flow.
# Screenshots go to ARTIFACTS_DIR (default: test-artifacts/web next to the
# binary). Exit 0 pass, 1 fail, 77 skipped (the binary has no `serve` yet).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(realpath "${1:?usage: run.sh CONSENTRY_BINARY [ARTIFACTS_DIR]}")
ART=${2:-$(dirname "$BIN")/test-artifacts/web}
CHROMIUM=${CS_CHROMIUM:-/usr/bin/chromium}

command -v node >/dev/null || { echo "run.sh: node is not installed (scripts/install-deps.sh adds it)" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "run.sh: no browser at $CHROMIUM (scripts/install-deps.sh installs chromium)" >&2; exit 1; }
if ! "$BIN" serve --help >/dev/null 2>&1; then
  echo "run.sh: SKIP: $BIN has no working 'serve' command" >&2
  exit 77
fi

# playwright-core, pinned by package-lock.json; its own browser downloads are off.
if [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
  (cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
export CONSENTRY_DB="$WORK/ledger.db"

"$BIN" init --db "$CONSENTRY_DB" >/dev/null
cat > "$WORK/facts.jsonl" <<'J'
{"type":"policy","version":"web-1","purposes":["genai_training","personalization","moderation"],"published_at":"2024-01-01T00:00:00Z","effective_at":"2024-02-01T00:00:00Z"}
{"type":"member","id":"m-us","name":"Ada Obi","handle":"ada","email":"ada@example.com","country":"US","joined_at":"2024-01-05T00:00:00Z"}
{"type":"member","id":"m-de","name":"Jonas Berg","handle":"jonas","email":"jonas@example.de","country":"DE","joined_at":"2024-01-06T00:00:00Z"}
J
"$BIN" ledger ingest --db "$CONSENTRY_DB" "$WORK/facts.jsonl" >/dev/null
# Two posts of the US member go into a dataset and a (two-step) training run,
# so "How my data is used" has a row in each table; the German member's post
# is excluded by jurisdiction, so that member's report stays empty.
cat > "$WORK/content.jsonl" <<'J'
{"id":"p1","member":"m-us","kind":"post","created_at":"2024-03-01T09:00:00Z","visibility":"public","text":"Excited to share that our team shipped a new search feature for small businesses this week."}
{"id":"p2","member":"m-us","kind":"article","created_at":"2024-03-05T09:00:00Z","visibility":"connections","text":"Three lessons from mentoring junior engineers: listen first, ask better questions, and celebrate small wins."}
{"id":"p3","member":"m-de","kind":"post","created_at":"2024-03-06T09:00:00Z","visibility":"public","text":"Looking forward to the conference in Berlin next month."}
J
"$BIN" dataset build --db "$CONSENTRY_DB" --purpose genai_training --as-of 2024-06-01T00:00:00Z \
  --out "$WORK/ds1" --vocab 300 --shards 1 "$WORK/content.jsonl" >/dev/null
"$BIN" train --db "$CONSENTRY_DB" --dataset "$WORK/ds1" --out "$WORK/run1" --preset tiny \
  --steps 2 --batch 1 --context 16 >/dev/null

token() { # the token is the one long base64url word the command prints
  "$BIN" member token "$1" --db "$CONSENTRY_DB" | grep -oE '[A-Za-z0-9_-]{32,}' | head -n1
}
US_TOKEN=$(token m-us)
DE_TOKEN=$(token m-de)
[ -n "$US_TOKEN" ] && [ -n "$DE_TOKEN" ] || { echo "run.sh: 'member token' printed no token" >&2; exit 1; }

# start_server ARGS...: `consentry serve` on a free port (--port 0, read
# back from --port-file); sets URL and SERVER_PID.
start_server() {
  rm -f "$WORK/port"
  "$BIN" serve --db "$CONSENTRY_DB" --bind 127.0.0.1 --port 0 --port-file "$WORK/port" "$@" \
    >"$WORK/serve.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    [ -s "$WORK/port" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "run.sh: consentry serve exited:" >&2; cat "$WORK/serve.log" >&2; exit 1
    fi
    sleep 0.1
  done
  [ -s "$WORK/port" ] || { echo "run.sh: consentry serve did not start" >&2; cat "$WORK/serve.log" >&2; exit 1; }
  URL="http://127.0.0.1:$(cat "$WORK/port")"
  curl -fsS -o /dev/null "$URL/" || { echo "run.sh: no page at $URL/" >&2; cat "$WORK/serve.log" >&2; exit 1; }
}
stop_server() { # SIGTERM: the server finishes queued changes and exits 0
  local st=0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || st=$?
  SERVER_PID=
  if [ "$st" -ne 0 ]; then
    echo "run.sh: consentry serve exited with status $st on SIGTERM:" >&2
    tail -n 40 "$WORK/serve.log" >&2
    return 1
  fi
}
browser_test() { # CS_ASSIST value
  CS_WEB_URL="$URL" CS_OPTOUT_TOKEN="$US_TOKEN" CS_OPTOUT_MEMBER=m-us CS_EU_TOKEN="$DE_TOKEN" \
    CS_EU_COUNTRY=Germany CS_EXPECT_USAGE="1 dataset 2 records; 1 run 2 steps" CS_ARTIFACTS="$ART" \
    CS_BIN="$BIN" CS_DB="$CONSENTRY_DB" CS_CHROMIUM="$CHROMIUM" CS_ASSIST="$1" node "$HERE/page.test.js"
}

rm -rf "$ART"
mkdir -p "$ART"
rc=0
# 1. No model loaded: the whole member journey, the assistant disabled.
start_server
browser_test off || rc=$?
# 2. The tiny run loaded as the writing model: the suggestion flow.
if [ "$rc" -eq 0 ]; then
  stop_server || rc=1
fi
if [ "$rc" -eq 0 ]; then
  start_server --model "$WORK/run1"
  browser_test only || rc=$?
  if [ "$rc" -eq 0 ]; then stop_server || rc=1; fi
fi
if [ "$rc" -ne 0 ]; then
  echo "--- consentry serve log ---" >&2
  tail -n 40 "$WORK/serve.log" >&2
fi
exit "$rc"
