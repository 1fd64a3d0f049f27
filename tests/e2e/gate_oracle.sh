#!/usr/bin/env bash
# End to end: consentry's gate decides every record exactly as an independent
# Python implementation of DESIGN.md's rules (bench/gate/baseline.py) does, on
# a generated platform with moves, toggles, objections, minors, deletions,
# closures, unknown members, offsets and future records; for every purpose and
# several as-of times, including the policy's effective instant itself.
source "$(dirname "$0")/lib.bash"
SRC=${CS_SOURCE:-$(dirname "$0")/../..}
python3 "$SRC/bench/gate/gen.py" . 3000 20000 5
expect_exit 0 "$BIN" ledger ingest facts.jsonl
for T in 2024-02-01T00:00:00Z 2024-04-10T12:00:00+02:00 2024-09-01T00:00:00Z 2025-06-01T00:00:00Z; do
  for P in genai_training personalization moderation; do
    expect_exit 0 "$BIN" gate --purpose $P --as-of "$T" --decisions c.dec content.jsonl
    mv out c.inc
    expect_exit 0 python3 "$SRC/bench/gate/baseline.py" facts.jsonl content.jsonl $P "$T" p.inc p.dec
    checks=$((checks + 1))
    if ! cmp -s c.dec p.dec; then
      fail "$P at $T: decisions differ"; diff c.dec p.dec | head -5 >&2
    fi
    checks=$((checks + 1))
    cmp -s c.inc p.inc || fail "$P at $T: included records differ"
  done
done
# Sanity: the data exercises every reason at least once for genai_training.
"$BIN" gate --purpose genai_training --as-of 2024-09-01T00:00:00Z --json content.jsonl \
  2>reasons.json >/dev/null
checks=$((checks + 1))
python3 -c '
import json, sys
r = json.load(open("reasons.json"))["reasons"]
missing = [k for k, v in r.items() if v == 0 and k not in ("NOT_OPTED_IN",)]
sys.exit(1 if missing else 0)' || fail "some reason never occurs: $(cat reasons.json)"
finish
