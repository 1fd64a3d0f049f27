#!/usr/bin/env bash
# End to end: init, ingest (strict and atomic), replay, policy notice guard,
# consent set/show, objections — through the CLI as a user runs it.
source "$(dirname "$0")/lib.bash"

expect_exit 0 "$BIN" init
expect_in out "schema version"

cat > facts.jsonl <<'J'
{"type":"policy","version":"p1","purposes":["genai_training","personalization"],"published_at":"2024-01-01T00:00:00Z","effective_at":"2024-02-01T00:00:00Z"}
{"type":"member","id":"u1","name":"Ada Obi","handle":"ada","email":"ada@example.com","country":"NG","joined_at":"2024-01-05T00:00:00+01:00"}
{"type":"member","id":"u2","name":"Jonas Berg","handle":"jonas","email":"jonas@example.de","country":"DE","joined_at":"2024-01-06T00:00:00Z"}
{"type":"setting","id":"s1","member":"u1","setting":"genai_training","value":false,"at":"2024-03-01T00:00:00Z"}
J
expect_exit 0 "$BIN" ledger ingest facts.jsonl --json
expect_in out '"inserted":4'
# Replaying the same file is a no-op.
expect_exit 0 "$BIN" ledger ingest facts.jsonl --json
expect_in out '"inserted":0'
expect_in out '"skipped":4'

# A bad line rejects the whole file: the good line before it is not recorded.
cat > bad.jsonl <<'J'
{"type":"member","id":"u3","name":"Mei Lin","handle":"mei","email":"mei@example.sg","country":"SG","joined_at":"2024-01-07T00:00:00Z"}
{"type":"location","id":"l1","member":"u3","country":"UK","at":"2024-02-01T00:00:00Z"}
J
expect_exit 2 "$BIN" ledger ingest bad.jsonl
expect_in err "bad.jsonl:2: country"
expect_exit 2 "$BIN" consent show u3
for line in \
  '{"type":"setting","member":"u1","setting":"genai_training","value":"false","at":"2024-03-01T00:00:00Z"}|value' \
  '{"type":"setting","member":"u1","setting":"genai_training","value":false,"at":"2024-03-01"}|at' \
  '{"type":"objection","member":"u1","purpose":"ads","at":"2024-03-01T00:00:00Z"}|purpose' \
  '{"type":"member","id":"u4","name":"X","handle":"x","email":"x@example.com","country":"US"}|joined_at' \
  '{"type":"teleport","member":"u1"}|type' \
  '{"type":"setting","member":"ghost","setting":"genai_training","value":true,"at":"2024-03-01T00:00:00Z"}|member' \
  '{not json|expected'; do
  printf '%s\n' "${line%|*}" > one.jsonl
  expect_exit 2 "$BIN" ledger ingest one.jsonl
  expect_in err "one.jsonl:1: ${line##*|}"
done

# The notice period: effective less than 30 days after publication is refused.
expect_exit 3 "$BIN" policy publish p2 --purposes moderation \
  --published 2024-05-01T00:00:00Z --effective 2024-05-15T00:00:00Z
expect_in err "2024-05-31T00:00:00Z"
expect_exit 0 "$BIN" policy publish p2 --purposes moderation \
  --published 2024-05-01T00:00:00Z --effective 2024-05-31T00:00:00Z
expect_exit 2 "$BIN" policy publish p3 --purposes nonsense --effective 2030-01-01T00:00:00Z

# consent show explains each purpose; an EU member is not offered the setting.
expect_exit 0 "$BIN" consent show u1 --at 2024-04-01T00:00:00Z --json
expect_in out '"jurisdiction":"NG"'
expect_in out '"genai_training":{"allowed":false,"reason":"OPTED_OUT"'
expect_exit 0 "$BIN" consent set u2 genai_training on --at 2024-04-01T00:00:00Z
expect_in out "no effect"
expect_exit 0 "$BIN" consent show u2 --at 2024-04-02T00:00:00Z --json
expect_in out '"genai_training":{"allowed":false,"reason":"JURISDICTION","rule":"excluded"}'
expect_in out '"offered":false'
expect_exit 0 "$BIN" consent set u1 genai_training on --at 2024-04-01T00:00:00Z
expect_exit 0 "$BIN" consent show u1 --at 2024-04-02T00:00:00Z --json
expect_in out '"genai_training":{"allowed":true,"reason":"INCLUDED"'

# Objections and their withdrawal.
expect_exit 0 "$BIN" object u1 personalization --at 2024-04-03T00:00:00Z --reason "no thanks"
expect_exit 0 "$BIN" consent show u1 --at 2024-04-04T00:00:00Z --json
expect_in out '"personalization":{"allowed":false,"reason":"OBJECTED"'
expect_exit 0 "$BIN" object u1 personalization --withdraw --at 2024-04-05T00:00:00Z
expect_exit 0 "$BIN" consent show u1 --at 2024-04-06T00:00:00Z --json
expect_in out '"personalization":{"allowed":true'
expect_exit 2 "$BIN" object u1 telepathy
expect_exit 2 "$BIN" consent set nobody genai_training on
expect_exit 2 "$BIN" consent set u1 genai_training maybe
expect_exit 2 "$BIN" gate --purpose genai_training
finish
