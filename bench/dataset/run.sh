#!/usr/bin/env bash
# bench/dataset — `consentry dataset build` (gate -> redact -> exact de-dup ->
# tokenize -> member shards + indexes + manifest) against the same steps in
# Python's standard library (pipeline.py), in one run, on the same machine.
#
# usage: bench/dataset/run.sh [RECORDS] [MEMBERS]      (defaults 1300000 100000: ~1.0 GB)
# env:   CONSENTRY_BIN  the binary (default build/consentry)
#        PY_MB          megabytes of the content's prefix the Python pipeline runs on
#                       (default 64; 0 = all of it, ~4 minutes per GB)
#
# Content is `consentry synth --seed 21`, cached in bench/dataset/data/. consentry
# builds the whole content, its first quarter (peak RSS must not grow with the
# input) and the prefix Python gets; Python builds that prefix with the
# tokenizer consentry trained on it (loaded, not trained: see pipeline.py).
# Checks that both gates decide every record of the prefix alike and that the
# manifests' counts by reason agree; a mismatch is reported and exits 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CONSENTRY_BIN:-$root/build/consentry}
records=${1:-1300000}; members=${2:-100000}; py_mb=${PY_MB:-64}
T=2024-12-01T00:00:00Z
P=genai_training
data=$root/bench/dataset/data/$members-$records
work=$data/run
[ -x "$bin" ] || { echo "build first: cmake -S . -B build && make -C build" >&2; exit 1; }
mkdir -p "$data"
if [ ! -s "$data/done" ]; then
  echo "generating $records records from $members members (seed 21)..." >&2
  rm -rf "$data/synth"
  "$bin" synth --members "$members" --records "$records" --seed 21 --out "$data/synth" --json > "$data/done"
fi
content=$data/synth/content.jsonl; facts=$data/synth/facts.jsonl
bytes=$(stat -c %s "$content")

# prefix BYTES NAME -> path of the content's first BYTES, cut back to a whole line
prefix() {
  if [ "$1" -le 0 ] || [ "$1" -ge "$bytes" ]; then echo "$content"; return; fi
  [ -s "$data/$2.jsonl" ] || head -c "$1" "$content" | head -n -1 > "$data/$2.jsonl"
  echo "$data/$2.jsonl"
}
quarter=$(prefix $((bytes / 4)) quarter)
pyin=$(prefix $((py_mb * 1000000)) "py$py_mb")

rm -rf "$work"; mkdir -p "$work"
"$bin" ledger ingest --db "$work/ledger.db" "$facts" >/dev/null

# timed NAME CMD... -> "seconds peak_kb"; the command's stdout goes to $work/NAME.out
timed() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" \
    || { echo "$name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
  cat "$work/$name.time"
}
build() { # NAME INPUT
  timed "$1" "$bin" dataset build --db "$work/ledger.db" --purpose $P --as-of $T \
    --out "$work/$1" --shards 4 --json "$2"
}
echo "consentry dataset build on $((bytes / 1000000)) MB, its first quarter and the $(( ($(stat -c %s "$pyin") + 500000) / 1000000 )) MB prefix..." >&2
c_full=$(build c_full "$content")
c_quarter=$(build c_quarter "$quarter")
c_py=$(build c_py "$pyin")
echo "python3 pipeline.py on $(( ($(stat -c %s "$pyin") + 500000) / 1000000 )) MB..." >&2
p_py=$(timed p_py python3 "$root/bench/dataset/pipeline.py" "$facts" "$pyin" $P $T "$work/p_py" \
  --tokenizer "$work/c_py/tokenizer")

# Self-checks on the shared prefix: every gate decision (a DUPLICATE is an
# included record) and the manifests' counts by reason.
status=0
norm() { sed 's/"included":false,"reason":"DUPLICATE"/"included":true,"reason":"INCLUDED"/' "$1"; }
if ! cmp -s <(norm "$work/c_py/decisions.jsonl") <(norm "$work/p_py/decisions.jsonl"); then
  echo "MISMATCH: consentry and Python gate decisions differ on the prefix" >&2; status=1
fi
python3 - "$work/c_py/manifest.json" "$work/p_py/manifest.json" "$work/c_full/manifest.json" \
  "$work/c_quarter/manifest.json" <<'EOF' || status=1
import json, sys
c, p, full, quarter = (json.load(open(f))["counts"] for f in sys.argv[1:5])
bad = [k for k in ("records_in", "reasons") if c[k] != p[k]]
print("counts on the prefix: %d records in, %d included by the gate (consentry and Python %s)"
      % (c["records_in"], c["reasons"]["INCLUDED"], "agree" if not bad else "DIFFER"))
print("  after redaction and de-dup: consentry %d records / %d tokens, Python %d / %d"
      " (redaction patterns differ in detail: not compared)"
      % (c["records"], c["tokens"], p["records"], p["tokens"]))
for name, x in (("full", full), ("1/4", quarter)):
    print("  consentry %-4s: %d records in, %d included, %d duplicates dropped, %d in the dataset, %d tokens"
          % (name, x["records_in"], x["reasons"]["INCLUDED"], x["duplicates"], x["records"], x["tokens"]))
if bad:
    print("MISMATCH in %s: consentry %s / Python %s" % (bad, {k: c[k] for k in bad}, {k: p[k] for k in bad}),
          file=sys.stderr)
    sys.exit(1)
EOF

qbytes=$(stat -c %s "$quarter"); pbytes=$(stat -c %s "$pyin")
echo "dataset build: $P as of $T, 4 member shards, tokenizer (vocab up to 4096) trained by consentry;"
awk -v b="$bytes" -v r="$records" -v m="$members" \
  'BEGIN { printf "  content: consentry synth --records %s --members %s --seed 21 (%.1f MB)\n", r, m, b/1e6 }'
awk -v b="$pbytes" 'BEGIN { printf "  Python (standard library) is far slower, so it runs on the first %.1f MB only,\n", b/1e6 }'
echo "  loading the tokenizer consentry trained on that prefix instead of training one."
row() { # LABEL BYTES "SECONDS PEAK_KB"
  awk -v l="$1" -v b="$2" -v t="$3" 'BEGIN { split(t, a, " ");
    printf "  %-30s %9.1f %9.2f %9.1f %12.1f\n", l, b/1e6, a[1], b/1e6/a[1], a[2]/1024 }'
}
printf "  %-30s %9s %9s %9s %12s\n" "" "input MB" "seconds" "MB/s" "peak RSS MB"
row "consentry, all content" "$bytes" "$c_full"
row "consentry, first 1/4" "$qbytes" "$c_quarter"
row "consentry, Python's prefix" "$pbytes" "$c_py"
row "python3 stdlib, same prefix" "$pbytes" "$p_py"
awk -v b="$bytes" -v qb="$qbytes" -v pb="$pbytes" -v cf="$c_full" -v cq="$c_quarter" -v cp="$c_py" -v pp="$p_py" 'BEGIN {
  split(cf, f, " "); split(cq, q, " "); split(cp, c, " "); split(pp, p, " ")
  printf "  ratio of MB/s, consentry/python: %.1fx on the same prefix, %.1fx consentry on all content\n",
    (pb / c[1]) / (pb / p[1]), (b / f[1]) / (pb / p[1])
  printf "  consentry peak RSS, all content / first 1/4: %.2fx for %.1fx the input" \
    " (what grows is the de-dup hash set and member table)\n", f[2] / q[2], b / qb }'
[ "$status" -eq 0 ] || echo "SELF-CHECK FAILED: consentry and Python disagree on the prefix (MISMATCH above)" >&2
exit $status
