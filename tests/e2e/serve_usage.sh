#!/usr/bin/env bash
# End to end: "how my data was used" and the writing assistant through
# `consentry serve`, after a real dataset build and training run: the usage
# report lists exactly the ledger's lineage for the member, with their record
# counts and shard; POST /api/assist answers from the loaded model.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.bash"
source "$HERE/serve_lib.bash"
T=2024-12-01T00:00:00Z
export OMP_NUM_THREADS=1
expect_exit 0 "$BIN" synth --members 300 --records 3000 --seed 9 --out p
expect_exit 0 "$BIN" ledger ingest p/facts.jsonl
expect_exit 0 "$BIN" dataset build --purpose genai_training --as-of $T --out ds --shards 2 \
  --vocab 512 p/content.jsonl
expect_exit 0 "$BIN" train --dataset ds --out run --steps 2

# A member whose records went in, and one whose did not, from the ledger itself.
python3 - "$CONSENTRY_DB" > picks <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
used = con.execute("SELECT lm.member, lm.records, l.id FROM lineage_members lm JOIN lineage l"
                   " ON l.id = lm.lineage WHERE l.kind = 'dataset' AND lm.records > 0"
                   " ORDER BY lm.member LIMIT 1").fetchone()
unused = con.execute("SELECT id FROM members WHERE id NOT IN (SELECT member FROM lineage_members)"
                     " ORDER BY id LIMIT 1").fetchone()
runs = con.execute("SELECT count(*) FROM lineage_members lm JOIN lineage l ON l.id = lm.lineage"
                   " WHERE l.kind = 'training_run' AND lm.member = ?", (used[0],)).fetchone()
shards = 2
print(used[0], used[1], used[2], unused[0], runs[0])
PY
read -r USED RECORDS DSID UNUSED NRUNS < picks
expect_exit 0 "$BIN" member token "$USED" "$UNUSED"
TU=$(sed -n 1p out); TN=$(sed -n 2p out)

start_server main --model run || exit 1
U="http://127.0.0.1:$PORT_main"
expect_status 200 GET "$U/api/me/usage" -H "Authorization: Bearer $TU"
cp body usage.json
python3 - "$USED" "$RECORDS" "$DSID" "$NRUNS" <<'PY' > check.out
import json, sys
u = json.load(open("usage.json"))
member, records, dsid, nruns = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
# The shard the report names must be the one the dataset's index files put the member in.
import glob, os
where = set()
for f in glob.glob("ds/*.idx.jsonl"):
    name = os.path.basename(f)
    for line in open(f):
        if json.loads(line)["member"] == member:
            where.add("val" if name.startswith("val") else int(name[6:9]))
assert len(where) == 1, where
where = where.pop()
ok = (u["member"] == member and len(u["datasets"]) == 1 and u["datasets"][0]["id"] == dsid
      and u["datasets"][0]["records"] == records and u["datasets"][0]["purpose"] == "genai_training"
      and u["datasets"][0]["as_of"] == "2024-12-01T00:00:00Z"
      and u["datasets"][0]["shard"] == where and len(u["runs"]) == nruns
      and all(r["dataset"] == dsid and r["steps"] > 0 and r["shards"] for r in u["runs"]))
print("usage ok" if ok else "usage WRONG: %s" % json.dumps(u))
PY
expect_in check.out "usage ok"
expect_status 200 GET "$U/api/me/usage" -H "Authorization: Bearer $TN"
expect_in body '"datasets":[],"runs":[]'
expect_status 403 GET "$U/api/members/$USED/usage" -H "Authorization: Bearer $TN"

expect_status 200 GET "$U/api/me" -H "Authorization: Bearer $TU"
expect_in body '"assist_available":true'
expect_status 200 POST "$U/api/assist" -H "Authorization: Bearer $TU" -d '{"prompt":"Excited to announce","max_tokens":8}'
expect_in body '"text":'
expect_in body '"model":"run"'
expect_status 400 POST "$U/api/assist" -H "Authorization: Bearer $TU" -d '{"prompt":"Hi","max_tokens":0}'
expect_status 400 POST "$U/api/assist" -H "Authorization: Bearer $TU" -d '{"prompt":"Hi","max_tokens":201}'
expect_status 400 POST "$U/api/assist" -H "Authorization: Bearer $TU" -d '{"prompt":""}'
expect_status 400 POST "$U/api/assist" -H "Authorization: Bearer $TU" -d '{"prompt":3}'
expect_status 401 POST "$U/api/assist" -d '{"prompt":"Hi"}'
stop_server main
expect_exit 2 "$BIN" serve --port 0 --model no-such-run
finish
