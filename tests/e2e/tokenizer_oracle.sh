#!/usr/bin/env bash
# Oracle: an independent Python implementation (bench/tokenizer/baseline.py)
# learns the same merges with a naive trainer and encodes to the same tokens.
source "$(dirname "$0")/lib.bash"

src=${CS_SOURCE:-$(dirname "$0")/../..}
py=$src/bench/tokenizer/baseline.py
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }
corpus=${CS_SHARED:-}/bench-data/corpus/linkedin_influencer_posts_content.txt
if [ -z "${CS_SHARED:-}" ] || [ ! -s "$corpus" ]; then
  echo "SKIP: $corpus not found (set CS_SHARED to the shared folder)"; exit 0
fi

# A small slice keeps the naive trainer quick; add odd bytes and placeholders.
head -c 60000 "$corpus" > train.txt
printf ' <EMAIL> caf\xc3\xa9 \xff\xfe don'"'"'t  \n\n 12345 \xf0\x9f\x99\x82' >> train.txt
expect_exit 0 "$BIN" tokenizer train --vocab 700 --out tok --text train.txt
expect_exit 0 python3 "$py" train 700 train.txt py_merges.txt
python3 -c 'import json,sys; print("\n".join("%d %d" % tuple(m) for m in json.load(open("tok/tokenizer.json"))["merges"]))' > c_merges.txt
checks=$((checks + 1)); cmp -s c_merges.txt py_merges.txt || fail "merges differ from the Python trainer"

cat "$corpus" train.txt > enc.txt
head -c 20000 /dev/urandom >> enc.txt
expect_exit 0 "$BIN" tokenizer encode --tokenizer tok < enc.txt
mv out c_ids.txt
expect_exit 0 python3 "$py" encode tok enc.txt py_ids.txt
checks=$((checks + 1)); cmp -s c_ids.txt py_ids.txt || fail "tokens differ from the Python encoder"
finish
