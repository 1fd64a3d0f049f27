#!/usr/bin/env bash
# End to end: `consentry serve` through curl — sign-in (bearer and session
# cookie with CSRF), every error status of docs/API.md, the setting and the
# objection form reaching `consent show`, usage after a dataset build, the
# admin routes, /metrics, the embedded page, clean shutdown.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.bash"
source "$HERE/serve_lib.bash"

cat > facts.jsonl <<'J'
{"type":"policy","version":"p1","purposes":["genai_training","personalization","moderation"],"published_at":"2024-01-01T00:00:00Z","effective_at":"2024-02-01T00:00:00Z"}
{"type":"member","id":"u1","name":"Ada Obi","handle":"ada","email":"ada@example.com","country":"NG","joined_at":"2024-01-05T00:00:00Z"}
{"type":"member","id":"u2","name":"Jonas Berg","handle":"jonas","email":"jonas@example.de","country":"DE","joined_at":"2024-01-06T00:00:00Z"}
{"type":"member","id":"u3","name":"Mei Lin","handle":"mei","email":"mei@example.sg","country":"SG","joined_at":"2024-01-07T00:00:00Z"}
J
expect_exit 0 "$BIN" ledger ingest facts.jsonl
expect_exit 0 "$BIN" member token u1
T1=$(cat out)
expect_exit 0 "$BIN" member token u2 --json
T2=$(python3 -c 'import json,sys; print(json.load(open("out"))["token"])')
expect_exit 2 "$BIN" member token ghost
expect_in err "ghost"
expect_exit 2 "$BIN" member token
# several at once: one transaction, all or none
expect_exit 2 "$BIN" member token u3 ghost
expect_exit 0 "$BIN" member token u3 u3 --json
expect_in out '"member":"u3","token":'
# The token is not in the ledger, only its hash.
checks=$((checks + 1))
if grep -qaF "$T1" ledger.db ledger.db-wal 2>/dev/null; then fail "token stored in clear"; fi

echo "admin-key-for-tests-0123456789" > admin.key
start_server main --admin-key-file admin.key --rate-limit 1000 || exit 1
U="http://127.0.0.1:$PORT_main"
A1=(-H "Authorization: Bearer $T1")
A2=(-H "Authorization: Bearer $T2")
AK=(-H "Authorization: Bearer admin-key-for-tests-0123456789")

# --- authentication -------------------------------------------------------
expect_status 401 GET "$U/api/me"
expect_in body '"error"'
expect_status 401 GET "$U/api/me" -H "Authorization: Bearer wrong$T1"
expect_status 200 GET "$U/api/me" "${A1[@]}"
expect_in body '"member":"u1"'
expect_in body '"jurisdiction":"NG"'
expect_in body '"assist_available":false'
expect_in body '"rule":"opt_out"'
expect_in body '"personalization":{"objected":false'
expect_not_in body '"csrf"'
expect_in hdr 'application/json'
# another member's data: 403; one's own under /api/members/{id}: 200
expect_status 403 GET "$U/api/members/u2/settings/genai_training" "${A1[@]}"
expect_status 403 PUT "$U/api/members/u2/settings/genai_training" "${A1[@]}" -d '{"value":false}'
expect_status 200 GET "$U/api/members/u1/settings/genai_training" "${A1[@]}"
expect_in body '"value":true'

# --- session cookie and CSRF ------------------------------------------------
expect_status 401 POST "$U/api/session" -d "{\"token\":\"nope\"}"
expect_status 400 POST "$U/api/session" -d '{"token":5}'
expect_status 200 POST "$U/api/session" -d "{\"token\":\"$T1\"}"
expect_in hdr 'cs_session='
expect_in hdr 'HttpOnly'
expect_in hdr 'SameSite=Strict'
expect_in hdr 'Path=/'
expect_in body '"member":"u1"'
CSRF=$(python3 -c 'import json; print(json.load(open("body"))["csrf"])')
SID=$(grep -o 'cs_session=[^;]*' hdr | head -1)
expect_status 200 GET "$U/api/me" -H "Cookie: $SID"
expect_in body "\"csrf\":\"$CSRF\""
expect_status 200 GET "$U/api/session" -H "Cookie: $SID"
expect_in body "\"csrf\":\"$CSRF\""
expect_in body '"member":"u1"'
expect_status 401 GET "$U/api/session" "${A1[@]}"
expect_status 403 PUT "$U/api/me/settings/genai_training" -H "Cookie: $SID" -d '{"value":true}'
expect_in body 'CSRF'
expect_status 403 PUT "$U/api/me/settings/genai_training" -H "Cookie: $SID" -H "X-CSRF-Token: x$CSRF" -d '{"value":true}'
expect_status 200 PUT "$U/api/me/settings/genai_training" -H "Cookie: $SID" -H "X-CSRF-Token: $CSRF" -d '{"value":true}'
expect_status 401 GET "$U/api/me" -H "Cookie: cs_session=forged"
expect_status 200 DELETE "$U/api/session" -H "Cookie: $SID" -H "X-CSRF-Token: $CSRF"
expect_in hdr 'Max-Age=0'
expect_status 401 GET "$U/api/me" -H "Cookie: $SID"

# --- the setting ------------------------------------------------------------------
expect_status 200 PUT "$U/api/me/settings/genai_training" "${A1[@]}" -d '{"value":false}'
expect_in body '"value":false'
expect_in body '"seq":'
expect_exit 0 "$BIN" consent show u1 --json
expect_in out '"genai_training":{"value":false'
expect_in out '"OPTED_OUT"'
expect_status 400 PUT "$U/api/me/settings/genai_training" "${A1[@]}" -d '{"value":'
expect_in body 'malformed JSON'
expect_status 400 PUT "$U/api/me/settings/genai_training" "${A1[@]}" -d '{"value":"no"}'
expect_in body 'value: expected true or false'
expect_status 400 PUT "$U/api/me/settings/genai_training" "${A1[@]}" -d '[true]'
expect_status 400 PUT "$U/api/me/settings/genai_training" "${A1[@]}" -d '{"value":true} x'
expect_status 400 PUT "$U/api/me/settings/genai_training" "${A1[@]}"
# excluded jurisdiction: not offered, PUT is 409 and records nothing
expect_status 200 GET "$U/api/me/settings/genai_training" "${A2[@]}"
expect_in body '"offered":false'
expect_in body '"rule":"excluded"'
expect_in body '"jurisdiction":"DE"'
expect_status 409 PUT "$U/api/me/settings/genai_training" "${A2[@]}" -d '{"value":true}'
expect_in body 'Not offered in DE'
expect_exit 0 "$BIN" consent show u2 --json
expect_in out '"genai_training":{"value":null'

# --- the objection form -------------------------------------------------------------
expect_status 200 POST "$U/api/me/objections/personalization" "${A1[@]}" -d '{"reason":"I prefer a plain feed"}'
expect_in body '"objected":true'
expect_in body '"reason":"I prefer a plain feed"'
expect_exit 0 "$BIN" consent show u1
expect_in out 'personalization  excluded OBJECTED'
expect_status 200 POST "$U/api/me/objections/moderation" "${A1[@]}"
expect_status 200 GET "$U/api/me" "${A1[@]}"
expect_in body '"personalization":{"objected":true,"reason":"I prefer a plain feed"'
expect_in body '"moderation":{"objected":true'
expect_status 200 DELETE "$U/api/me/objections/moderation" "${A1[@]}"
expect_in body '"objected":false'
expect_exit 0 "$BIN" consent show u1
expect_in out 'moderation       allowed'
expect_status 400 POST "$U/api/me/objections/ads" "${A1[@]}"
expect_in body 'unknown purpose'
expect_status 400 POST "$U/api/me/objections/moderation" "${A1[@]}" -d '{"reason":7}'
LONG=$(python3 -c 'print("é" * 1001)')
expect_status 400 POST "$U/api/me/objections/moderation" "${A1[@]}" -d "{\"reason\":\"$LONG\"}"
OK1000=$(python3 -c 'print("é" * 1000)')
expect_status 200 POST "$U/api/me/objections/moderation" "${A1[@]}" -d "{\"reason\":\"$OK1000\"}"

# --- routes, methods, sizes -------------------------------------------------------------
expect_status 404 GET "$U/api/nothing" "${A1[@]}"
expect_status 404 GET "$U/nothing.html"
expect_status 405 DELETE "$U/api/me" "${A1[@]}"
python3 -c 'print("{\"reason\":\"" + "a" * 70000 + "\"}")' > big.json
expect_status 413 POST "$U/api/me/objections/moderation" "${A1[@]}" --data-binary @big.json
expect_status 413 POST "$U/api/me/objections/moderation" "${A1[@]}" -H "Transfer-Encoding: chunked" --data-binary @big.json
expect_status 503 POST "$U/api/assist" "${A1[@]}" -d '{"prompt":"Hello","max_tokens":5}'
expect_status 200 GET "$U/"
expect_in hdr 'text/html'
expect_in hdr "Content-Security-Policy: default-src 'self'"
expect_in hdr "frame-ancestors 'none'"

# --- admin -----------------------------------------------------------------------------
expect_status 401 GET "$U/api/admin/counts"
expect_status 403 GET "$U/api/admin/counts" "${A1[@]}"
expect_status 200 GET "$U/api/admin/counts" "${AK[@]}"
expect_in body '"members":3'
expect_in body '"excluded":1,"opt_out":2'
expect_in body '"on":1,"off":1,"not_offered":1'
cat > more.jsonl <<'J'
{"type":"member","id":"u4","name":"Ana Silva","handle":"ana","email":"ana@example.br","country":"BR","joined_at":"2024-01-08T00:00:00Z"}
{"type":"location","id":"l9","member":"u4","country":"XX","at":"2024-02-01T00:00:00Z"}
J
expect_status 400 POST "$U/api/admin/facts" "${AK[@]}" --data-binary @more.jsonl
expect_in body 'line 2: country'
expect_status 200 GET "$U/api/admin/counts" "${AK[@]}"
expect_in body '"members":3'
sed -i 's/"XX"/"FR"/' more.jsonl
expect_status 200 POST "$U/api/admin/facts" "${AK[@]}" --data-binary @more.jsonl
expect_in body '"ingested":2,"skipped":0'
expect_status 200 POST "$U/api/admin/facts" "${AK[@]}" --data-binary @more.jsonl
expect_in body '"ingested":0,"skipped":2'
expect_status 200 GET "$U/api/admin/counts" "${AK[@]}"
expect_in body '"members":4,"by_rule":{"excluded":2'
expect_status 409 POST "$U/api/admin/policies" "${AK[@]}" \
  -d '{"id":"p2","purposes":["moderation"],"published":"2025-01-01T00:00:00Z","effective":"2025-01-10T00:00:00Z"}'
expect_status 400 POST "$U/api/admin/policies" "${AK[@]}" -d '{"id":"p2","purposes":"moderation","effective":"2025-03-01T00:00:00Z"}'
expect_status 400 POST "$U/api/admin/policies" "${AK[@]}" -d '{"id":"p2","purposes":["ads"],"published":"2025-01-01T00:00:00Z","effective":"2025-03-01T00:00:00Z"}'
expect_status 200 POST "$U/api/admin/policies" "${AK[@]}" \
  -d '{"id":"p2","purposes":["moderation"],"published":"2025-01-01T00:00:00Z","effective":"2025-03-01T00:00:00Z"}'
expect_in body '"id":"p2","purposes":["moderation"],"published":"2025-01-01T00:00:00Z","effective":"2025-03-01T00:00:00Z"'

# --- metrics --------------------------------------------------------------------------
expect_status 200 GET "$U/metrics"
expect_in hdr 'text/plain; version=0.0.4'
expect_in body '# TYPE consentry_http_requests_total counter'
expect_in body 'consentry_http_requests_total{route="setting",status="409"} 1'
expect_in body 'consentry_http_request_duration_seconds_bucket{le="+Inf"}'
expect_in body '# TYPE consentry_commit_batch_size histogram'
expect_in body 'consentry_members 4'
expect_in body 'consentry_wal_checkpoints_total{outcome="error"} 0'
expect_not_in body 'u1'
stop_server main

# --- rate limit: a server with a small bucket ----------------------------------------------
start_server slow --rate-limit 1 --burst 3 || exit 1
S="http://127.0.0.1:$PORT_slow"
for i in 1 2 3; do expect_status 200 GET "$S/api/me" "${A1[@]}"; done
expect_status 429 GET "$S/api/me" "${A1[@]}"
expect_in hdr 'Retry-After: '
expect_status 200 GET "$S/api/me" "${A2[@]}"  # buckets are per token
expect_status 403 GET "$S/api/admin/counts" -H "Authorization: Bearer anything"  # no admin key
stop_server slow

# --- revocation ---------------------------------------------------------------------------
expect_exit 0 "$BIN" member token u1 --revoke
expect_in out '1 token(s) revoked'
start_server again || exit 1
expect_status 401 GET "http://127.0.0.1:$PORT_again/api/me" "${A1[@]}"
stop_server again

expect_exit 2 "$BIN" serve --port 70000
expect_exit 2 "$BIN" serve --bogus
expect_exit 2 "$BIN" serve --port 0 --bind not-an-address
expect_in err "--bind"
expect_exit 2 "$BIN" serve --port 0 --admin-key-file missing.key
echo short > short.key
expect_exit 2 "$BIN" serve --port 0 --admin-key-file short.key
expect_in err "at least 16"
expect_exit 1 "$BIN" serve --port 0 --db /nonexistent/dir/ledger.db
# a port already taken: a clear error, exit 1
start_server busy || exit 1
expect_exit 1 "$BIN" serve --port "$PORT_busy"
expect_in err "cannot listen"
stop_server busy
expect_exit 0 "$BIN" serve --help
expect_in out "Example: consentry serve"
finish
