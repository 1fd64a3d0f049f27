#!/usr/bin/env bash
# Durability: clients toggle their own setting, the server is SIGKILLed at a
# random moment and restarted, five times; every acknowledged change must be
# in the ledger (tests/e2e/serve_durability.py; bench/serve/durability.sh
# runs the same check for 50 rounds).
source "$(dirname "$0")/lib.bash"
SRC=${CS_SOURCE:-$(dirname "$0")/../..}
expect_exit 0 python3 "$SRC/tests/e2e/serve_durability.py" "$BIN" "$WORK" --rounds 5 --clients 8
cat out
expect_in out "lost: 0 of"
finish
