#!/usr/bin/env bash
# redact.sh CONSENTRY — end-to-end checks of `consentry redact` through its CLI.
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$work/in.jsonl" <<'JSONL'
{"id":"r1","member":"m1","text":"Mail jane.doe@example.com or call +44 20 7946 0958.","n":1.50}
{"id":"r2","member":"m2","text":"Nothing personal here, version 1.2.3 on 2024-05-01."}
{"id":"r3","member":"m3"}
{"id":"r4","text":"Cards 4111 1111 1111 1111, 5500 0000 0000 0004 and a@b.com"}
JSONL

# placeholders; other fields and untouched records byte for byte
"$bin" redact < "$work/in.jsonl" > "$work/out.jsonl" 2> "$work/err"
grep -q '"text":"Mail <EMAIL> or call <PHONE>.","n":1.50}' "$work/out.jsonl" || fail "r1 not redacted as expected"
sed -n 2,3p "$work/in.jsonl" | cmp - <(sed -n 2,3p "$work/out.jsonl") || fail "clean records changed"
grep -q "EMAIL 2" "$work/err" || fail "summary lacks counts: $(cat "$work/err")"
if grep -q "jane.doe" "$work/err"; then fail "summary leaks a value"; fi

# --max-pii drops the record with three matches
"$bin" redact --max-pii 2 < "$work/in.jsonl" > "$work/out2.jsonl" 2>/dev/null
[ "$(wc -l < "$work/out2.jsonl")" -eq 3 ] || fail "--max-pii did not drop r4"

# --pseudonymize: consistent keyed pseudonyms
head -c 32 /dev/urandom > "$work/key"
"$bin" redact --pseudonymize "$work/key" < "$work/in.jsonl" > "$work/p1.jsonl" 2>/dev/null
"$bin" redact --pseudonymize "$work/key" < "$work/in.jsonl" > "$work/p2.jsonl" 2>/dev/null
cmp -s "$work/p1.jsonl" "$work/p2.jsonl" || fail "pseudonyms differ between runs"
grep -q '<EMAIL_[0-9a-f]\{8\}>' "$work/p1.jsonl" || fail "no pseudonym in output"

# malformed input: exit 2 and FILE:LINE
printf '{"id":"ok","text":"x"}\n{"id":"bad","text":\n' > "$work/bad.jsonl"
set +e
"$bin" redact "$work/bad.jsonl" > /dev/null 2> "$work/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "malformed line: exit $rc, want 2"
grep -q "bad.jsonl:2" "$work/err" || fail "error does not name FILE:LINE: $(cat "$work/err")"

# --misses: only with --eval; then one line per missed or false span
set +e
"$bin" redact --misses < "$work/in.jsonl" > /dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "--misses without --eval: exit $rc, want 2"
cat > "$work/tiny.json" <<'JSON'
[{"full_text": "Write to jane@example.com, Mr. Kozlowski said.", "spans": [
  {"entity_type": "EMAIL_ADDRESS", "entity_value": "jane@example.com", "start_position": 9, "end_position": 25},
  {"entity_type": "PERSON", "entity_value": "Kozlowski", "start_position": 31, "end_position": 40}]},
 {"full_text": "Nobody here.", "spans": [
  {"entity_type": "PERSON", "entity_value": "Nobody", "start_position": 0, "end_position": 6}]}]
JSON
"$bin" redact --eval "$work/tiny.json" --misses > /dev/null 2> "$work/misses"
grep -q '^MISS PERSON 0 6 "\[Nobody\] here."' "$work/misses" || fail "--misses: $(cat "$work/misses")"
[ "$(wc -l < "$work/misses")" -eq 1 ] || fail "--misses printed more than the one miss: $(cat "$work/misses")"

# --eval on Presidio's benchmark, JSON report
pii=${CS_SHARED:-../shared}/bench-data/pii/presidio-research_synth_dataset_v2.json
if [ -f "$pii" ]; then
  "$bin" redact --eval "$pii" --json > "$work/eval.json"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["records"]==1500 and r["total"]["f2"]>0.85, r["total"]' "$work/eval.json" || fail "eval report"
fi
echo "redact e2e: ok"
