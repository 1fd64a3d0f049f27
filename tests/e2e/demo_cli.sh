#!/usr/bin/env bash
# End to end: `consentry demo` runs and its table tells each member's story
# (see src/cli/demo_data.c for who does what).
source "$(dirname "$0")/lib.bash"
expect_exit 0 "$BIN" demo --dir d1 --json --train-seconds 0
checks=$((checks + 1))
python3 - out <<'PY' || fail "demo figures differ"
import json, sys
d = json.load(open(sys.argv[1]))
g = d["purposes"]["genai_training"]["reasons"]
want = {"INCLUDED": 6, "JURISDICTION": 8, "JURISDICTION_AT_CREATION": 1, "OPTED_OUT": 2,
        "OBJECTED": 1, "MINOR": 2, "DELETED": 1, "ACCOUNT_CLOSED": 1, "UNKNOWN_MEMBER": 1,
        "FUTURE_RECORD": 1, "KIND": 2, "VISIBILITY": 1, "NOT_OPTED_IN": 0}
bad = {k: (g[k], v) for k, v in want.items() if g[k] != v}
p = d["purposes"]["personalization"]
if p["included"] != 18 or p["reasons"]["OBJECTED"] != 2: bad["personalization"] = p
if d["purposes"]["moderation"]["included"] != 20: bad["moderation"] = d["purposes"]["moderation"]
if d["members_by_rule"] != {"excluded": 6, "opt_out": 8, "opt_in": 0, "allowed": 0}:
    bad["rules"] = d["members_by_rule"]
if d["opted_out"] != 1: bad["opted_out"] = d["opted_out"]
if bad:
    print(bad, file=sys.stderr)
    sys.exit(1)
PY
expect_exit 0 "$BIN" demo --dir d1 --train-seconds 0
expect_in out "records by reason"
expect_not_in out "suggestion"
expect_in out "JURISDICTION_AT_CREATION"
# Running it again rebuilds the ledger and gives the same answer.
expect_exit 0 "$BIN" demo --dir d1 --json --train-seconds 0
expect_in out '"INCLUDED":6'
checks=$((checks + 1))
[ "$(wc -l < d1/genai_training.included.jsonl)" -eq 6 ] || fail "included file"
# The demo's dataset holds exactly the six included records and verifies.
expect_in out '"dataset":{"id":'
expect_in out '"records":6,"members":4'
expect_exit 0 "$BIN" dataset verify --db d1/demo.db d1/dataset
expect_in out "verified"
# With training (kept short for CI): a tiny model per shard, a suggestion for
# the prompt, and the run in the demo's ledger.
expect_exit 0 "$BIN" demo --dir d1 --train-seconds 3
expect_in out "suggestion: Excited to announce"
expect_in out "tiny models (one per shard)"
checks=$((checks + 1))
[ "$(sqlite3 d1/demo.db "select count(*) from lineage where kind='training_run'")" = 1 ] || fail "demo run not registered"
expect_exit 0 "$BIN" demo --dir d1 --json --train-seconds 2
expect_in out '"prompt":"Excited to announce","suggestion":'
expect_exit 0 "$BIN" generate --model d1/model --prompt "Excited to announce" --seed 1
expect_exit 2 "$BIN" demo --dir d1 --train-seconds -1
finish
