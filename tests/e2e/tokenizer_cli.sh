#!/usr/bin/env bash
# End to end: `consentry tokenizer` trains on tinyshakespeare, encodes and
# decodes it back byte for byte, is deterministic, keeps placeholders whole,
# and refuses bad usage with exit 2.
source "$(dirname "$0")/lib.bash"

corpus=${CS_SHARED:-}/bench-data/corpus/tinyshakespeare_input.txt
if [ -z "${CS_SHARED:-}" ] || [ ! -s "$corpus" ]; then
  echo "SKIP: $corpus not found (set CS_SHARED to the shared folder)"; exit 0
fi

expect_exit 0 "$BIN" tokenizer --help
expect_in out "Example"
expect_exit 0 "$BIN" tokenizer train --vocab 2048 --out tok --text "$corpus"
expect_in out "2048 tokens"
checks=$((checks + 1)); [ -s tok/tokenizer.json ] || fail "tok/tokenizer.json missing"
checks=$((checks + 1)); [ ! -s err ] || fail "progress drawn without a terminal: $(cat err)"

# encode | decode gives back the file; fewer tokens than bytes.
expect_exit 0 "$BIN" tokenizer encode --tokenizer tok < "$corpus"
mv out ids.txt
expect_exit 0 "$BIN" tokenizer decode --tokenizer tok < ids.txt
checks=$((checks + 1)); cmp -s out "$corpus" || fail "decode(encode(corpus)) differs from the corpus"
n=$(wc -w < ids.txt)
checks=$((checks + 1)); [ "$n" -lt 500000 ] || fail "expected < 500000 tokens, got $n"

# Deterministic: the same input and V give the same file.
expect_exit 0 "$BIN" tokenizer train --vocab 2048 --out tok2 --text --json "$corpus"
expect_in out '"vocab":2048'
expect_in out '"merges":1781'
checks=$((checks + 1)); cmp -s tok/tokenizer.json tok2/tokenizer.json || fail "training is not deterministic"
expect_exit 0 "$BIN" tokenizer info --tokenizer tok --json
expect_in out "\"hash\":\"$(sha256sum tok/tokenizer.json | cut -d' ' -f1)\""

# Placeholders are one token each; JSON output; arbitrary bytes round-trip.
printf 'Write to <EMAIL> or call <PHONE>.' > ph.txt
expect_exit 0 "$BIN" tokenizer encode --tokenizer tok --json < ph.txt
expect_in out ',257,'
expect_in out ',258,'
head -c 100000 /dev/urandom > rand.bin
printf '\0\0\377\376<|endoftext|><URL' >> rand.bin
"$BIN" tokenizer encode --tokenizer tok < rand.bin | "$BIN" tokenizer decode --tokenizer tok > rand.out
checks=$((checks + 1)); cmp -s rand.bin rand.out || fail "random bytes did not round-trip"
printf '' | "$BIN" tokenizer encode --tokenizer tok > empty.ids
checks=$((checks + 1)); [ "$(cat empty.ids)" = "" ] || fail "empty input should give no ids"

# Content JSONL: the text field is what is learned.
printf '{"id":"1","text":"hello world hello world"}\n{"id":"2"}\n' > c.jsonl
expect_exit 0 "$BIN" tokenizer train --vocab 300 --out tokj c.jsonl
printf '{"id":"1","text":5}\n' > bad.jsonl
expect_exit 2 "$BIN" tokenizer train --vocab 300 --out tokb bad.jsonl
expect_in err "bad.jsonl:1: text: expected a string"
checks=$((checks + 1)); [ ! -e tokb/tokenizer.json ] || fail "a failed train wrote a tokenizer"

# Usage errors.
expect_exit 2 "$BIN" tokenizer train --vocab 70000 --out x --text "$corpus"
expect_in err "65535"
expect_exit 2 "$BIN" tokenizer train --vocab 100 --out x --text "$corpus"
expect_exit 2 "$BIN" tokenizer train --out x --text "$corpus"
expect_exit 2 "$BIN" tokenizer frobnicate
expect_exit 2 "$BIN" tokenizer encode
echo '1 2 99999' > badids.txt
expect_exit 2 "$BIN" tokenizer decode --tokenizer tok < badids.txt
expect_in err "token 3"
sed -i 's/"version": 1/"version": 9/' tok2/tokenizer.json
expect_exit 2 "$BIN" tokenizer encode --tokenizer tok2 < ph.txt
expect_in err "tokenizer.json:3: version 9"
finish
