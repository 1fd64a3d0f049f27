#!/usr/bin/env bash
# bench/tokenizer — encode throughput of consentry's BPE against the same
# encoder in plain Python (baseline.py), on the same text and machine, and
# the training time. Checks that both give the same tokens.
#
# usage: bench/tokenizer/run.sh [VOCAB] [REPEATS]     (defaults 8192 5)
# Trains on tinyshakespeare + the LinkedIn posts, encodes the LinkedIn posts
# (and a 20x copy of them, to time a larger input).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CONSENTRY_BIN:-$root/build/consentry}
shared=${CS_SHARED:-$root/../shared}
corpus=$shared/bench-data/corpus
vocab=${1:-8192}; repeats=${2:-5}
data=$root/bench/tokenizer/data
posts=$corpus/linkedin_influencer_posts_content.txt
[ -x "$bin" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
[ -s "$posts" ] || { echo "missing $posts" >&2; exit 1; }
mkdir -p "$data"

libs=$(pkg-config --libs json-c sqlite3 inih libsodium libxxhash libzstd libhs)
# shellcheck disable=SC2086
cc -O2 -std=c17 -D_GNU_SOURCE -I"$root/include" "$root/bench/tokenizer/encode_bench.c" \
  "$(dirname "$bin")/libconsentry.a" $libs -lm -lpthread -o "$data/encode_bench"

echo "train: vocab $vocab on tinyshakespeare + LinkedIn posts (1.6 MB)"
"$bin" tokenizer train --json --text --vocab "$vocab" --out "$data/tok" \
  "$corpus/tinyshakespeare_input.txt" "$posts"

for i in $(seq 20); do cat "$posts"; done > "$data/posts20.txt"
for i in $(seq 20); do cat "$corpus/tinyshakespeare_input.txt" "$posts"; done > "$data/train33.txt"
echo "train: vocab 32768 on 20 copies of both (33 MB)"
"$bin" tokenizer train --json --text --vocab 32768 --out "$data/tok32k" "$data/train33.txt"

echo "consentry encode (1 thread):"
"$data/encode_bench" "$data/tok" "$posts" "$repeats"
"$data/encode_bench" "$data/tok" "$data/posts20.txt" "$repeats"
echo "python3 baseline encode (same algorithm, dict cache):"
py=$(python3 "$root/bench/tokenizer/baseline.py" encode "$data/tok" "$posts" "$data/py_ids.txt")
echo "$py"
"$bin" tokenizer encode --tokenizer "$data/tok" < "$posts" > "$data/c_ids.txt"
cmp -s "$data/c_ids.txt" "$data/py_ids.txt" || { echo "TOKENS DIFFER" >&2; exit 1; }
c=$("$data/encode_bench" "$data/tok" "$posts" "$repeats" | sed 's/.*: \([0-9.]*\) MB\/s cached.*/\1/')
p=${py%% MB/s*}
awk -v c="$c" -v p="$p" 'BEGIN { printf "ratio (consentry/python) on the posts: %.0fx   (tokens identical)\n", c/p }'
