#!/usr/bin/env bash
# bench/gate — consentry's gate against a Python standard-library baseline,
# in one run, on the same data and the same machine.
#
# usage: bench/gate/run.sh [MEMBERS] [RECORDS] [REPEATS]   (defaults 120000 1200000 3)
# Prints records/s, MB/s and peak RSS of each side, medians over REPEATS runs,
# the ratio, and the snapshot load time for a 1M-member ledger.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CONSENTRY_BIN:-$root/build/consentry}
members=${1:-120000}; records=${2:-1200000}; repeats=${3:-3}
data=$root/bench/gate/data/$members-$records
T=2024-09-01T00:00:00Z
[ -x "$bin" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
mkdir -p "$data"
if [ ! -s "$data/content.jsonl" ]; then
  echo "generating $members members, $records records..." >&2
  python3 "$root/bench/gate/gen.py" "$data" "$members" "$records" 7
fi
rm -f "$data/ledger.db"*
"$bin" ledger ingest --db "$data/ledger.db" "$data/facts.jsonl" >/dev/null
bytes=$(stat -c %s "$data/content.jsonl")

# run_one NAME CMD... -> prints "seconds peak_kb" (wall time and max RSS)
run_one() {
  /usr/bin/time -f "%e %M" -o "$data/time.txt" "$@" >/dev/null 2>"$data/stderr.txt" \
    || { cat "$data/stderr.txt" >&2; exit 1; }
  cat "$data/time.txt"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$data/c.txt"; : > "$data/c2.txt"; : > "$data/p.txt"
for i in $(seq "$repeats"); do
  run_one "$bin" gate --threads 1 --db "$data/ledger.db" --purpose genai_training --as-of $T \
    --decisions "$data/c.decisions.jsonl" "$data/content.jsonl" >> "$data/c.txt"
  run_one "$bin" gate --threads 2 --db "$data/ledger.db" --purpose genai_training --as-of $T \
    --decisions "$data/c2.decisions.jsonl" "$data/content.jsonl" >> "$data/c2.txt"
  run_one python3 "$root/bench/gate/baseline.py" "$data/facts.jsonl" "$data/content.jsonl" \
    genai_training $T "$data/p.included.jsonl" "$data/p.decisions.jsonl" >> "$data/p.txt"
done
"$bin" gate --db "$data/ledger.db" --purpose genai_training --as-of $T \
  "$data/content.jsonl" > "$data/c.included.jsonl"
cmp -s "$data/c.decisions.jsonl" "$data/p.decisions.jsonl" || { echo "DECISIONS DIFFER" >&2; exit 1; }
cmp -s "$data/c2.decisions.jsonl" "$data/p.decisions.jsonl" || { echo "DECISIONS DIFFER (2 threads)" >&2; exit 1; }
cmp -s "$data/c.included.jsonl" "$data/p.included.jsonl" || { echo "INCLUDED DIFFER" >&2; exit 1; }

cs=$(cut -d' ' -f1 "$data/c.txt" | median); cr=$(cut -d' ' -f2 "$data/c.txt" | median)
c2s=$(cut -d' ' -f1 "$data/c2.txt" | median); c2r=$(cut -d' ' -f2 "$data/c2.txt" | median)
ps=$(cut -d' ' -f1 "$data/p.txt" | median); pr=$(cut -d' ' -f2 "$data/p.txt" | median)
echo "gate: $records records from $members members, $((bytes / 1000000)) MB, as of $T, median of $repeats"
awk -v r="$records" -v b="$bytes" -v cs="$cs" -v cr="$cr" -v ps="$ps" -v pr="$pr" \
    -v c2s="$c2s" -v c2r="$c2r" 'BEGIN {
  printf "  %-22s %12s %10s %12s\n", "", "records/s", "MB/s", "peak RSS MB"
  printf "  %-22s %12.0f %10.1f %12.1f\n", "consentry (1 thread)", r/cs, b/cs/1e6, cr/1024
  printf "  %-22s %12.0f %10.1f %12.1f\n", "consentry (2 threads)", r/c2s, b/c2s/1e6, c2r/1024
  printf "  %-22s %12.0f %10.1f %12.1f\n", "python3 baseline", r/ps, b/ps/1e6, pr/1024
  printf "  ratio (consentry/python): %.1fx on 1 thread, %.1fx on 2 (decisions identical)\n", ps/cs, ps/c2s }'

# Snapshot load for 1M members (the ledger read the gate does before any record).
snap=$root/bench/gate/data/snapshot-1000000
mkdir -p "$snap"
[ -s "$snap/facts.jsonl" ] || python3 "$root/bench/gate/gen.py" "$snap" 1000000 0 11
if [ ! -s "$snap/ledger.db" ]; then
  /usr/bin/time -f "%e" -o "$snap/ingest.txt" "$bin" ledger ingest --db "$snap/ledger.db" "$snap/facts.jsonl" >/dev/null
fi
: > "$snap/empty.jsonl"
: > "$snap/load.txt"
for i in $(seq "$repeats"); do
  "$bin" gate --db "$snap/ledger.db" --purpose genai_training --as-of $T --json "$snap/empty.jsonl" \
    2>&1 >/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["snapshot_seconds"])' >> "$snap/load.txt"
done
facts=$(wc -l < "$snap/facts.jsonl")
echo "snapshot: 1,000,000 members ($facts facts) loaded in $(median < "$snap/load.txt") s (median of $repeats);" \
     "ingest of those facts took $(cat "$snap/ingest.txt") s"
