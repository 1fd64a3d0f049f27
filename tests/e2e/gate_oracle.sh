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
# The same bytes whatever the thread count, also when a malformed line in a
# later chunk stops the run (everything before it written, nothing after).
for threads in 1 2 5; do
  expect_exit 0 "$BIN" gate --threads $threads --purpose genai_training --as-of 2024-09-01T00:00:00Z \
    --decisions t$threads.dec content.jsonl content.jsonl
  mv out t$threads.inc
done
checks=$((checks + 1))
cmp -s t1.dec t2.dec && cmp -s t1.dec t5.dec && cmp -s t1.inc t5.inc || fail "thread count changed the output"
{ head -n 15000 content.jsonl; echo '{"id":"bad","member":"m1",'; tail -n 5000 content.jsonl; } > broken.jsonl
for threads in 1 4; do
  expect_exit 2 "$BIN" gate --threads $threads --purpose genai_training --as-of 2024-09-01T00:00:00Z broken.jsonl
  mv out b$threads.inc
  expect_in err "broken.jsonl:15001"
done
checks=$((checks + 1))
cmp -s b1.inc b4.inc || fail "an error stopped different threads at different places"
checks=$((checks + 1))
head -n 15000 content.jsonl > first.jsonl
"$BIN" gate --purpose genai_training --as-of 2024-09-01T00:00:00Z first.jsonl > first.inc 2>/dev/null
cmp -s b1.inc first.inc || fail "records before the malformed line were not all written"
expect_exit 2 "$BIN" gate --threads 0 --purpose genai_training --as-of 2024-09-01T00:00:00Z content.jsonl

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
