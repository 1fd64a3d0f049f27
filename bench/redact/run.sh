#!/usr/bin/env bash
# bench/redact/run.sh [CONSENTRY] [MB] — the redaction benchmark.
#
# 1. Generates MB megabytes (default 64) of typical posts with planted PII.
# 2. Times `consentry redact` and the Python `re` baseline on it in the same
#    run, alternately for ROUNDS rounds (default 3): MB/s, peak RSS, and the
#    median of the rounds' ratios (bench.py).
# 3. Builds bench_members against the library and reports load time and
#    memory of the known-member index for 1M members.
# Needs a built tree: scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release,
# then bench/redact/run.sh build-release/consentry (the library beside it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
consentry=${1:-$root/build/consentry}
mb=${2:-64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$here/make_posts.py" "$work/posts.jsonl" "$mb"
python3 "$here/bench.py" "$consentry" "$work/posts.jsonl"

libs=$(pkg-config --libs json-c libsodium libxxhash libzstd libhs sqlite3 inih)
cc -O2 -std=c17 -D_GNU_SOURCE -I"$root/include" "$here/bench_members.c" \
  "$(dirname "$consentry")/libconsentry.a" $libs -lm -lpthread -o "$work/bench_members"
"$work/bench_members" 1000000
