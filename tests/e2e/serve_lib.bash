# serve_lib.bash — starting and stopping `consentry serve` in e2e tests
# (sourced after lib.bash). The server picks a free port (--port 0) and
# writes it to a file, so tests never race for a fixed port.

# Servers still running when the test exits (a failed check before its
# stop_server) are killed, so none outlives the test; then WORK goes, as in
# lib.bash.
SERVE_PIDS=()
trap 'for p in "${SERVE_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; rm -rf "$WORK"' EXIT

# start_server NAME ARGS... : starts a server in the background; sets
# PORT_NAME, PID_NAME; its stdout/stderr go to NAME.out / NAME.err.
start_server() {
  local name=$1; shift
  rm -f "$name.port"
  "$BIN" serve --port 0 --port-file "$name.port" "$@" >"$name.out" 2>"$name.err" &
  local pid=$! i
  SERVE_PIDS+=("$pid")
  for i in $(seq 1 600); do
    [ -s "$name.port" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
  done
  if [ ! -s "$name.port" ]; then
    fail "server $name did not start"; sed 's/^/  err: /' "$name.err" >&2
    return 1
  fi
  printf -v "PORT_$name" '%s' "$(cat "$name.port")"
  printf -v "PID_$name" '%s' "$pid"
}

# stop_server NAME : SIGTERM, and the server must exit 0 (clean shutdown,
# and under ASan no leaks).
stop_server() {
  local pidvar="PID_$1"
  local pid=${!pidvar}
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  local rc=$?
  checks=$((checks + 1))
  if [ $rc -ne 0 ]; then fail "server $1 exited $rc"; sed 's/^/  err: /' "$1.err" | tail -30 >&2; fi
}

# http METHOD URL [curl args...] : status in $STATUS, body in body, headers in hdr
http() {
  local method=$1 url=$2; shift 2
  STATUS=$(curl -s -o body -D hdr -w '%{http_code}' -X "$method" --max-time 60 "$url" "$@")
}

# expect_status CODE METHOD URL [curl args...]
expect_status() {
  local want=$1; shift
  http "$@"
  checks=$((checks + 1))
  if [ "$STATUS" != "$want" ]; then
    fail "expected HTTP $want, got $STATUS: $*"; head -c 400 body | sed 's/^/  body: /' >&2; echo >&2
  fi
}
