#!/usr/bin/env bash
# bench/serve/durability.sh — the durability check of tests/e2e/serve_durability.sh
# for ROUNDS (50) SIGKILL/restart rounds; prints "lost: 0 of N acknowledged".
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-50}; BUILD=${BUILD:-build}
[ -x "$BUILD/consentry" ] || scripts/build.sh "$BUILD" >/dev/null
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
python3 tests/e2e/serve_durability.py "$BUILD/consentry" "$W" --rounds "$ROUNDS" --clients 8 "$@"
