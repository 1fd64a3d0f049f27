#!/usr/bin/env bash
# End to end: dataset build/verify/explain/cat on a synthetic platform. Reads
# every document back and checks it against an independent oracle of the
# rules; checks reproducibility, member sharding, redaction, tamper and
# backdated-fact detection, refusals and that failures leave nothing behind.
source "$(dirname "$0")/lib.bash"
SRC=${CS_SOURCE:-$(dirname "$0")/../..}
T=2024-12-01T00:00:00Z
expect_exit 0 "$BIN" synth --members 400 --records 4000 --seed 9 --out p
expect_exit 0 "$BIN" ledger ingest p/facts.jsonl
expect_exit 0 "$BIN" dataset build --purpose genai_training --as-of $T --out ds --shards 3 \
  --vocab 1000 --json p/content.jsonl
expect_in out '"records_in":4000'
expect_exit 0 "$BIN" dataset build --purpose genai_training --as-of $T --out ds2 --shards 3 \
  --vocab 1000 --decisions d2.jsonl p/content.jsonl
checks=$((checks + 1)); cmp -s d2.jsonl ds2/decisions.jsonl || fail "--decisions differs from the dataset's"
for t in 1 3; do
  expect_exit 0 "$BIN" dataset build --purpose genai_training --as-of $T --out dt$t --shards 3 \
    --vocab 1000 --threads $t p/content.jsonl
done
checks=$((checks + 1)); diff -r dt1 dt3 >/dev/null && diff -r dt1 ds >/dev/null || fail "thread count changed the dataset"
rm -rf dt1 dt3
checks=$((checks + 1)); diff -r ds ds2 >/dev/null || fail "rebuild is not byte-identical"
expect_exit 2 "$BIN" dataset build --purpose genai_training --as-of $T --out ds p/content.jsonl
expect_exit 0 "$BIN" dataset verify ds
expect_in out "verified"

# Every document read back is one the oracle says may be used; every member
# sits in exactly one shard; no member is in both train and validation.
expect_exit 0 python3 "$SRC/bench/gate/baseline.py" p/facts.jsonl p/content.jsonl genai_training $T inc.jsonl dec.jsonl
for k in 0 1 2 val; do "$BIN" dataset cat ds --shard $k > cat_$k.jsonl || fail "cat shard $k"; done
checks=$((checks + 1))
python3 - <<'PY' || fail "shards hold something they should not"
import json
ok = {d["id"] for d in map(json.loads, open("dec.jsonl")) if d["included"]}
owner = {}
for k in ["0", "1", "2", "val"]:
    for line in open("cat_%s.jsonl" % k):
        d = json.loads(line)
        assert d["record"] in ok, "not allowed: %s" % d["record"]
        assert owner.setdefault(d["member"], k) == k, "member %s in two shards" % d["member"]
        assert "@example" not in d["text"], "an e-mail address survived redaction"
print(len(owner), "members checked")
PY
"$BIN" dataset cat ds > all.jsonl
expect_in all.jsonl "<PERSON>"
m=$(head -1 cat_0.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["member"])')
expect_exit 0 "$BIN" dataset explain ds --member "$m"
expect_in out "in train shard 0"
expect_exit 0 "$BIN" dataset explain ds --member "$m" --json
cp out explain.json
expect_exit 0 python3 -c 'import json; d = json.load(open("explain.json")); assert d["documents"] and d["decisions"]'

# Tampering with a shard, or a backdated opt-out ingested after the build,
# makes verify fail (exit 1) and say why.
cp -r ds dt
printf '\x01\x02' | dd of=dt/train_001.bin bs=1 seek=2000 conv=notrunc 2>/dev/null
expect_exit 1 "$BIN" dataset verify dt
expect_in err "train_001.bin: SHA-256"
printf '{"type":"setting","id":"late-optout","member":"%s","setting":"genai_training","value":false,"at":"2024-06-01T00:00:00Z"}\n' "$m" > late.jsonl
expect_exit 0 "$BIN" ledger ingest late.jsonl
expect_exit 1 "$BIN" dataset verify ds
expect_in err "not allowed under the ledger's facts now (OPTED_OUT)"

# Refusals and failures leave nothing behind.
expect_exit 3 "$BIN" dataset build --purpose genai_training --as-of 2023-06-01T00:00:00Z --out early p/content.jsonl
expect_exit 2 "$BIN" dataset build --purpose genai_training --as-of $T --out bad p/content.jsonl missing.jsonl
checks=$((checks + 1)); [ -z "$(ls -d early* bad* 2>/dev/null)" ] || fail "a failed build left files: $(ls -d early* bad*)"
finish
