# lib.sh — helpers for end-to-end tests through the CLI (sourced, not run).
# Each test: `source lib.sh`, then use `expect_exit`, `expect_in`, `fail`.
set -u
BIN=$(realpath "$1")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export CONSENTRY_DB="$WORK/ledger.db"
failures=0
checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_exit CODE CMD... : runs CMD, stdout -> out, stderr -> err
expect_exit() {
  local want=$1; shift
  checks=$((checks + 1))
  "$@" >out 2>err
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "expected exit $want, got $got: $*"; sed 's/^/  stderr: /' err >&2
  fi
}

# expect_in FILE TEXT : FILE contains TEXT (fixed string)
expect_in() {
  checks=$((checks + 1))
  grep -qF -- "$2" "$1" || { fail "$1 lacks '$2'"; sed 's/^/  '"$1"': /' "$1" | head -20 >&2; }
}

expect_not_in() {
  checks=$((checks + 1))
  if grep -qF -- "$2" "$1"; then fail "$1 unexpectedly has '$2'"; fi
}

finish() {
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
}
