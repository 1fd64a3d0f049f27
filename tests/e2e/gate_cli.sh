#!/usr/bin/env bash
# End to end: the gate streams included records, writes decisions in input
# order, refuses without a covering policy and stops on malformed lines.
source "$(dirname "$0")/lib.bash"

cat > facts.jsonl <<'J'
{"type":"member","id":"u1","name":"Ada Obi","handle":"ada","email":"ada@example.com","country":"NG","joined_at":"2024-01-05T00:00:00Z"}
{"type":"member","id":"u2","name":"Jonas Berg","handle":"jonas","email":"jonas@example.de","country":"DE","joined_at":"2024-01-06T00:00:00Z"}
{"type":"member","id":"u3","name":"Sam Lee","handle":"sam","email":"sam@example.com","country":"US","joined_at":"2024-01-06T00:00:00Z"}
{"type":"setting","id":"s1","member":"u3","setting":"genai_training","value":false,"at":"2024-03-01T00:00:00Z"}
J
cat > content.jsonl <<'J'
{"id":"a","member":"u1","kind":"post","created_at":"2024-02-10T00:00:00Z","visibility":"public","text":"hello \"world\""}
{"id":"b","member":"u2","kind":"post","created_at":"2024-02-10T00:00:00Z","visibility":"public","text":"hallo"}
{"id":"c","member":"u3","kind":"post","created_at":"2024-02-10T00:00:00Z","visibility":"public","text":"hi"}

{"id":"d","member":"u1","kind":"message","created_at":"2024-02-10T00:00:00Z","visibility":"private","text":"psst"}
{"id":"e","member":"zz","kind":"post","created_at":"2024-02-10T00:00:00Z","visibility":"public","text":"who"}
{"id":"f","member":"u1","kind":"post","created_at":"2025-02-10T00:00:00Z","visibility":"public","text":"later"}
J
expect_exit 0 "$BIN" ledger ingest facts.jsonl

# No policy yet: refused, nothing written.
expect_exit 3 "$BIN" gate --purpose genai_training --as-of 2024-06-01T00:00:00Z \
  --decisions dec.jsonl content.jsonl
expect_in err "genai_training"
checks=$((checks + 1)); [ ! -s out ] && [ ! -e dec.jsonl ] || fail "refused gate wrote output"

cat > policy.jsonl <<'J'
{"type":"policy","version":"p1","purposes":["genai_training"],"published_at":"2024-01-01T00:00:00Z","effective_at":"2024-02-01T00:00:00Z"}
J
expect_exit 0 "$BIN" ledger ingest policy.jsonl
# Covered only from effective_at on.
expect_exit 3 "$BIN" gate --purpose genai_training --as-of 2024-01-31T23:59:59Z content.jsonl
expect_exit 0 "$BIN" gate --purpose genai_training --as-of 2024-02-01T00:00:00Z content.jsonl </dev/null

expect_exit 0 "$BIN" gate --purpose genai_training --as-of 2024-06-01T00:00:00Z \
  --decisions dec.jsonl --json content.jsonl
checks=$((checks + 1))
[ "$(cat out)" = "$(sed -n 1p content.jsonl)" ] || fail "stdout should be exactly record a: $(cat out)"
expect_in err '"included":1'
expect_in err '"JURISDICTION":1'
expect_in err '"OPTED_OUT":1'
expect_in err '"KIND":1'
expect_in err '"UNKNOWN_MEMBER":1'
expect_in err '"FUTURE_RECORD":1'
checks=$((checks + 1))
[ "$(cut -d'"' -f4 dec.jsonl | tr '\n' ' ')" = "a b c d e f " ] || fail "decisions order: $(cat dec.jsonl)"
expect_in dec.jsonl '{"id":"b","member":"u2","included":false,"reason":"JURISDICTION"}'

# Standard input works the same, and personalization has no policy: refused.
expect_exit 0 "$BIN" gate --purpose genai_training --as-of 2024-06-01T00:00:00Z - < content.jsonl
expect_exit 3 "$BIN" gate --purpose personalization --as-of 2024-06-01T00:00:00Z content.jsonl
expect_exit 2 "$BIN" gate --purpose nonsense --as-of 2024-06-01T00:00:00Z content.jsonl
expect_exit 2 "$BIN" gate --purpose genai_training --as-of yesterday content.jsonl

# Malformed content: FILE:LINE and exit 2, and --decisions is not left behind.
printf '%s\n' '{"id":"x","member":"u1","kind":"post","created_at":"2024-02-10T00:00:00Z","visibility":"public","text":"ok"}' \
  '{"id":"y","member":"u1","kind":"tweet","created_at":"2024-02-10T00:00:00Z","visibility":"public","text":"no"}' > badc.jsonl
expect_exit 2 "$BIN" gate --purpose genai_training --as-of 2024-06-01T00:00:00Z \
  --decisions dec2.jsonl badc.jsonl
expect_in err "badc.jsonl:2: kind"
checks=$((checks + 1)); [ ! -e dec2.jsonl ] || fail "decisions written despite error"
printf '{"id":"x","member":"u1"\n' > trunc.jsonl
expect_exit 2 "$BIN" gate --purpose genai_training --as-of 2024-06-01T00:00:00Z trunc.jsonl
expect_in err "trunc.jsonl:1"
expect_exit 2 "$BIN" gate --purpose genai_training --as-of 2024-06-01T00:00:00Z missing.jsonl
finish
