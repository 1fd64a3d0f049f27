#!/usr/bin/env bash
# synth.sh — `consentry synth` end to end: files appear, the same arguments
# give the same bytes, --json prints a summary, bad usage exits 2.
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" synth --help | grep -q "Example: consentry synth"

out=$("$bin" synth --members 200 --records 2000 --seed 3 --out "$work/a/nested" --json)
echo "$out" | grep -q '"records":2000'
echo "$out" | grep -q '"mb_per_s":'
"$bin" synth --members 200 --records 2000 --seed 3 --out "$work/b" >/dev/null
for f in facts.jsonl content.jsonl labels.jsonl; do
  cmp "$work/a/nested/$f" "$work/b/$f"
done
test "$(wc -l < "$work/b/content.jsonl")" -eq 2000
test "$(wc -l < "$work/b/labels.jsonl")" -eq 2000
head -1 "$work/b/facts.jsonl" | grep -q '"type":"policy"'
ls -A "$work/b" | grep -q '\.tmp$' && { echo "temporaries left behind"; exit 1; }

expect_usage() {
  set +e
  "$bin" synth "$@" >/dev/null 2>"$work/err"
  rc=$?
  set -e
  if [ "$rc" -ne 2 ]; then echo "expected exit 2 for: $*, got $rc"; exit 1; fi
  grep -q "synth" "$work/err"
}
expect_usage --members x --out "$work/c"
expect_usage --members 0 --out "$work/c"
expect_usage --records -5 --out "$work/c"
expect_usage --members 10
expect_usage --nope --out "$work/c"
expect_usage --out "$work/c" extra
echo "ok"
