#!/usr/bin/env bash
# End to end: --config overrides the built-in rules. Here the US becomes
# opt-in for genai_training and a new purpose "research" is added; the gate,
# consent show and ingest all follow the file.
source "$(dirname "$0")/lib.bash"
cat > site.ini <<'INI'
[policy]
notice_days = 14

[purpose genai_training]
opt_in = US

[purpose research]
default = allowed
kinds = article
visibility = public
INI
cat > facts.jsonl <<'J'
{"type":"policy","version":"p1","purposes":["genai_training","research"],"published_at":"2024-01-01T00:00:00Z","effective_at":"2024-01-15T00:00:00Z"}
{"type":"member","id":"us1","name":"Amy Lee","handle":"amy","email":"amy@example.com","country":"US","joined_at":"2024-01-02T00:00:00Z"}
{"type":"member","id":"us2","name":"Bo Chen","handle":"bo","email":"bo@example.com","country":"US","joined_at":"2024-01-02T00:00:00Z"}
{"type":"member","id":"in1","name":"Ravi Rao","handle":"ravi","email":"ravi@example.in","country":"IN","joined_at":"2024-01-02T00:00:00Z"}
{"type":"setting","id":"s1","member":"us2","setting":"genai_training","value":true,"at":"2024-02-01T00:00:00Z"}
{"type":"objection","id":"o1","member":"in1","purpose":"research","at":"2024-02-01T00:00:00Z"}
J
# Without the file, 14 days' notice and the purpose "research" are both refused.
expect_exit 2 "$BIN" ledger ingest facts.jsonl
expect_exit 0 "$BIN" ledger ingest --config site.ini facts.jsonl
cat > content.jsonl <<'J'
{"id":"a","member":"us1","kind":"article","created_at":"2024-03-01T00:00:00Z","visibility":"public","text":"a"}
{"id":"b","member":"us2","kind":"article","created_at":"2024-03-01T00:00:00Z","visibility":"public","text":"b"}
{"id":"c","member":"in1","kind":"article","created_at":"2024-03-01T00:00:00Z","visibility":"public","text":"c"}
{"id":"d","member":"in1","kind":"post","created_at":"2024-03-01T00:00:00Z","visibility":"public","text":"d"}
J
expect_exit 0 "$BIN" gate --config site.ini --purpose genai_training --as-of 2024-06-01T00:00:00Z \
  --decisions g.jsonl content.jsonl
expect_in g.jsonl '{"id":"a","member":"us1","included":false,"reason":"NOT_OPTED_IN"}'
expect_in g.jsonl '{"id":"b","member":"us2","included":true,"reason":"INCLUDED"}'
expect_in g.jsonl '{"id":"c","member":"in1","included":true,"reason":"INCLUDED"}'
expect_exit 0 "$BIN" gate --config site.ini --purpose research --as-of 2024-06-01T00:00:00Z \
  --decisions r.jsonl content.jsonl
expect_in r.jsonl '{"id":"a","member":"us1","included":true,"reason":"INCLUDED"}'
expect_in r.jsonl '{"id":"c","member":"in1","included":false,"reason":"OBJECTED"}'
expect_in r.jsonl '{"id":"d","member":"in1","included":false,"reason":"KIND"}'
expect_exit 0 "$BIN" consent show us1 --config site.ini --at 2024-06-01T00:00:00Z --json
expect_in out '"genai_training":{"allowed":false,"reason":"NOT_OPTED_IN","rule":"opt_in"}'
# A broken config file is a clear error naming the line.
printf '[purpose genai_training]\nexcluded = UK\n' > bad.ini
expect_exit 2 "$BIN" gate --config bad.ini --purpose genai_training --as-of 2024-06-01T00:00:00Z content.jsonl
expect_in err "bad.ini:2"
finish
