#!/usr/bin/env bash
# bench/serve/run.sh — requests/s and p99 latency of `consentry serve` on
# loopback with wrk: GET /api/me, and the durable PUT of the setting (group
# commit, synchronous=FULL), each against the same requests served by
# bench/serve/baseline.py (Python stdlib http.server + sqlite3, one commit per
# PUT). Medians of ROUNDS runs; the ratio is consentry / baseline.
#
# Env: ROUNDS (3), DURATION (10s), CONNS (16), WRK_THREADS (2), MEMBERS (2000),
#      TOKENS_N (200), SERVE_THREADS (2), BUILD (build-release)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10s}; CONNS=${CONNS:-16}; WRK_THREADS=${WRK_THREADS:-2}
MEMBERS=${MEMBERS:-20000}; TOKENS_N=${TOKENS_N:-4000}; SERVE_THREADS=${SERVE_THREADS:-2}
BUILD=${BUILD:-build-release}
command -v wrk >/dev/null || { echo "wrk not installed (scripts/install-deps.sh)" >&2; exit 1; }
[ -x "$BUILD/consentry" ] || scripts/build.sh "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
BIN=$(realpath "$BUILD/consentry")
W=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
export CONSENTRY_DB="$W/ledger.db"

# A ledger: MEMBERS members, one in five in an excluded country; tokens for
# TOKENS_N members where the setting is offered (a PUT there is a change).
python3 - "$MEMBERS" > "$W/facts.jsonl" <<'PY'
import json, sys
countries = ["US", "NG", "BR", "IN", "DE"]
for i in range(int(sys.argv[1])):
    print(json.dumps({"type": "member", "id": "m%05d" % i, "name": "Member %d" % i,
                      "handle": "h%d" % i, "email": "m%d@example.com" % i,
                      "country": countries[i % 5], "joined_at": "2024-01-01T00:00:00Z"}))
PY
"$BIN" ledger ingest "$W/facts.jsonl" >/dev/null
python3 -c 'import sys; n, t = map(int, sys.argv[1:]); print("\n".join(
    "m%05d" % i for i in [i for i in range(n) if i % 5 != 4][:t]))' "$MEMBERS" "$TOKENS_N" \
  | xargs "$BIN" member token > "$W/tokens"
export TOKENS="$W/tokens"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wrk_once URL SCRIPT -> "req_per_s p99_ms"
wrk_once() {
  local out
  out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$2" "$1")
  if grep -q "Non-2xx" <<<"$out"; then echo "$out" >&2; echo "non-2xx answers" >&2; exit 1; fi
  awk '/Requests\/sec:/ {rps=$2}
       $1 == "99%" {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
                    ms = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v}
       END {printf "%.0f %.2f\n", rps, ms}' <<<"$out"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# bench NAME URL SCRIPT -> prints per round, sets MED_RPS MED_P99
bench() {
  local rps=() p99=() r line
  for r in $(seq 1 "$ROUNDS"); do
    line=$(wrk_once "$2" "$3")
    echo "  $1 round $r: ${line% *} req/s, p99 ${line#* } ms"
    rps+=("${line% *}"); p99+=("${line#* }")
  done
  MED_RPS=$(printf '%s\n' "${rps[@]}" | median)
  MED_P99=$(printf '%s\n' "${p99[@]}" | median)
}

wait_port() { for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.05; done; return 1; }

echo "machine: $(nproc) cores, $(uname -r); wrk -t$WRK_THREADS -c$CONNS -d$DURATION on loopback (same cores)"
echo "ledger: $MEMBERS members, $(wc -l < "$TOKENS") tokens rotated"
P=$(free_port)
"$BIN" serve --port "$P" --rate-limit 0 --threads "$SERVE_THREADS" >/dev/null 2>"$W/serve.err" &
PIDS+=($!)
wait_port "$P"
bench "consentry GET /api/me" "http://127.0.0.1:$P/api/me" bench/serve/get.lua
C_GET_RPS=$MED_RPS; C_GET_P99=$MED_P99
bench "consentry PUT setting" "http://127.0.0.1:$P/" bench/serve/put.lua
C_PUT_RPS=$MED_RPS; C_PUT_P99=$MED_P99
curl -s "http://127.0.0.1:$P/metrics" | grep -E '^consentry_commit_batch_size_(sum|count)' | sed 's/^/  /'
kill "${PIDS[0]}"; wait "${PIDS[0]}" || true

B=$(free_port)
cp "$W/ledger.db" "$W/base.db"
python3 bench/serve/baseline.py "$W/base.db" "$B" >/dev/null 2>"$W/base.err" &
PIDS+=($!)
wait_port "$B" || { cat "$W/base.err"; exit 1; }
bench "baseline GET /api/me" "http://127.0.0.1:$B/api/me" bench/serve/get.lua
B_GET_RPS=$MED_RPS; B_GET_P99=$MED_P99
bench "baseline PUT setting" "http://127.0.0.1:$B/" bench/serve/put.lua
B_PUT_RPS=$MED_RPS; B_PUT_P99=$MED_P99

echo
printf '%-22s %12s %10s %14s %12s %8s\n' "median of $ROUNDS" "consentry/s" "p99 ms" "baseline/s" "p99 ms" "ratio"
printf '%-22s %12s %10s %14s %12s %8.1f\n' "GET /api/me" "$C_GET_RPS" "$C_GET_P99" "$B_GET_RPS" "$B_GET_P99" \
  "$(awk -v a="$C_GET_RPS" -v b="$B_GET_RPS" 'BEGIN {print a / b}')"
printf '%-22s %12s %10s %14s %12s %8.1f\n' "PUT setting (durable)" "$C_PUT_RPS" "$C_PUT_P99" "$B_PUT_RPS" "$B_PUT_P99" \
  "$(awk -v a="$C_PUT_RPS" -v b="$B_PUT_RPS" 'BEGIN {print a / b}')"
