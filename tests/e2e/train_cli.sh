#!/usr/bin/env bash
# End to end: train / eval / generate on a small synthetic platform. Checks
# that every shard trains and reports losses, that a stopped run resumed
# gives exactly the losses of an uninterrupted one, that generation is
# reproducible by seed, that the run is in the ledger with the members of
# the trained shards, and that bad input is refused with exit 2.
source "$(dirname "$0")/lib.bash"
T=2024-12-01T00:00:00Z
# One thread: under a parallel ctest on a small machine OpenMP spinning costs 10x.
export OMP_NUM_THREADS=1
expect_exit 0 "$BIN" synth --members 300 --records 3000 --seed 9 --out p
expect_exit 0 "$BIN" ledger ingest p/facts.jsonl
expect_exit 0 "$BIN" dataset build --purpose genai_training --as-of $T --out ds --shards 2 \
  --vocab 512 p/content.jsonl

# All shards, a few steps.
expect_exit 0 "$BIN" train --dataset ds --out run --steps 4 --json
cp out full.json
expect_in out '"complete":true,"registered":true'
expect_in out '"shard":0,"steps_done":4'
expect_in out '"shard":1,"steps_done":4'
expect_not_in out '"val_loss":null'
for f in run/run.json run/tokenizer/tokenizer.json run/shard_000/model.safetensors \
         run/shard_001/config.json run/shard_001/optimizer.safetensors; do
  checks=$((checks + 1)); [ -s "$f" ] || fail "missing $f"
done
expect_exit 2 "$BIN" train --dataset ds --out run --steps 4
expect_in err "use --resume"
checks=$((checks + 1)); [ "$(grep -c . err)" -ge 1 ] || fail "no message"

# Exact resume: 2 steps, stop, resume to 4 == 4 at once.
expect_exit 0 "$BIN" train --dataset ds --out half --steps 4 --stop-after 2 --json
expect_in out '"complete":false,"registered":true'
expect_exit 0 "$BIN" train --dataset ds --out half --resume --json
checks=$((checks + 1))
python3 - full.json out <<'PY' || fail "resumed run differs from the uninterrupted one"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["id"] == b["id"], (a["id"], b["id"])
for x, y in zip(a["shards"], b["shards"]):
    assert (x["train_loss"], x["val_loss"]) == (y["train_loss"], y["val_loss"]), (x, y)
PY
checks=$((checks + 1)); cmp -s run/shard_001/model.safetensors half/shard_001/model.safetensors \
  || fail "resumed weights differ"

# One shard only.
expect_exit 0 "$BIN" train --dataset ds --out one --steps 2 --shards 1 --json
expect_in out '"shards":[{"shard":1,'

# Eval: per model and ensemble.
expect_exit 0 "$BIN" eval --model run --dataset ds --json
expect_in out '"bpb":'
checks=$((checks + 1))
python3 -c 'import json,sys; d=json.load(open("out")); assert len(d["models"])==2 and d["bpb"]>0 and d["tokens"]>0' \
  || fail "eval json"
expect_exit 0 "$BIN" eval --model run --dataset ds
expect_in out "ensemble"

# Generate: the same seed gives the same text; another seed is allowed to differ.
expect_exit 0 "$BIN" generate --model run --prompt "Excited to announce" --seed 7 --max-tokens 20 --json
cp out g1
expect_exit 0 "$BIN" generate --model run --prompt "Excited to announce" --seed 7 --max-tokens 20 --json
checks=$((checks + 1)); cmp -s out g1 || fail "generation is not reproducible"
expect_in out '"models":2'
expect_exit 0 "$BIN" generate --model run --shards 0 --prompt "Hello" --temperature 0
expect_in out "Hello"

# The run is in the ledger, with the members of its shards.
RUN_ID=$(python3 -c 'import json; print(json.load(open("full.json"))["id"])')
DS_ID=$(python3 -c 'import json; print(json.load(open("full.json"))["dataset"])')
checks=$((checks + 1))
[ "$(sqlite3 "$CONSENTRY_DB" "select kind||' '||parent from lineage where id='$RUN_ID'")" = "training_run $DS_ID" ] \
  || fail "run not registered with its dataset"
checks=$((checks + 1))
python3 - "$RUN_ID" <<'PY' || fail "ledger members differ from the shards' members"
import json, sqlite3, sys, os
want = {}
for k in ("000", "001"):
    for line in open("ds/train_%s.idx.jsonl" % k):
        m = json.loads(line)["member"]
        want[m] = want.get(m, 0) + 1
db = sqlite3.connect(os.environ["CONSENTRY_DB"])
got = dict(db.execute("select member, records from lineage_members where lineage=?", (sys.argv[1],)))
assert got == want, (len(got), len(want))
PY

# Bad input: exit 2 with a message.
expect_exit 2 "$BIN" train --dataset nope --out x --steps 2
expect_in err "nope"
expect_exit 2 "$BIN" train --dataset ds --out x --steps 2 --shards 5
expect_in err "--shards"
expect_exit 2 "$BIN" train --dataset ds --out x --shards 0,a
expect_exit 2 "$BIN" train --dataset ds --out x --steps 0
expect_exit 2 "$BIN" train --dataset ds --out x --preset huge
expect_exit 2 "$BIN" train --dataset ds
expect_exit 2 "$BIN" train --dataset ds --out nothere --resume
expect_exit 2 "$BIN" generate --model nothere --prompt hi
expect_exit 2 "$BIN" generate --model run --prompt hi --shards 3
expect_exit 2 "$BIN" eval --model run --dataset ds --split 9
expect_exit 0 "$BIN" train --help
expect_in out "Example:"
finish
