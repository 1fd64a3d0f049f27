/* auth.c — who is asking: bearer tokens, session cookies with CSRF, the
 * admin key; then the per-token rate limit.
 *
 * Tokens are hashed (SHA-256) and looked up by hash in the ledger; the
 * stored hash is compared in constant time (cs_store_token_lookup). The
 * admin key is compared as SHA-256 digests with sodium_memcmp, so neither
 * its length nor a matching prefix shows in the timing. A request with a
 * session cookie that changes something must carry X-CSRF-Token equal to
 * the session's token (SameSite=Strict already stops cross-site posts; the
 * header is the second lock).
 */
#include <string.h>

#include <sodium.h>

#include "server/server_int.h"

void cs_token_hash(const char *token, size_t len, uint8_t out[32]) {
  crypto_hash_sha256(out, (const unsigned char *)token, len);
}

int cs_member_token_issue(cs_store_t *s, const char *member, char *out, cs_diag_t *diag) {
  if (!s || !member || !out) return cs_diag_set(diag, CS_EINVAL, "token: missing argument");
  if (strlen(member) >= CS__MEMBER_MAX)
    return cs_diag_set(diag, CS_EINVAL, "member: expected an id under %d bytes", CS__MEMBER_MAX);
  if (sodium_init() < 0) return cs_diag_set(diag, CS_EINTERNAL, "token: libsodium init failed");
  uint8_t raw[32], hash[32];
  char text[CS_TOKEN_STR_MAX];
  cs_time_t now;
  randombytes_buf(raw, sizeof raw);
  sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  cs_token_hash(text, strlen(text), hash);
  int rc = cs_time_now(&now);
  if (rc == CS_OK) rc = cs_store_token_put(s, hash, member, now, diag);
  if (rc == CS_OK) memcpy(out, text, strlen(text) + 1);
  sodium_memzero(raw, sizeof raw);
  sodium_memzero(text, sizeof text);
  return rc;
}

/* The bearer token of the Authorization header, or NULL. */
static const char *bearer(struct MHD_Connection *c) {
  const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (!h || strncasecmp(h, "Bearer ", 7) != 0) return NULL;
  h += 7;
  while (*h == ' ') h++;
  return *h ? h : NULL;
}

/* The member a sign-in token was issued to; 401 when it is unknown. */
static int token_member(cs__req_t *req, const char *tok, char *out_member, uint8_t key[32]) {
  cs_store_t *s = NULL;
  cs_diag_t d = {{0}};
  size_t n = strnlen(tok, CS_TOKEN_STR_MAX);
  if (n >= CS_TOKEN_STR_MAX) {
    cs__answer_error(req, 401, "unknown or revoked token");
    return 401;
  }
  cs_token_hash(tok, n, key);
  int rc = cs__req_reader(req, &s, &d);
  if (rc == CS_OK) rc = cs_store_token_lookup(s, key, out_member, CS__MEMBER_MAX, &d);
  if (rc == CS_ENOTFOUND) {
    cs__answer_error(req, 401, "unknown or revoked token");
    return 401;
  }
  if (rc < 0) {
    cs__answer_diag(req, rc, &d);
    return req->status;
  }
  return 0;
}

static int session_member(cs__req_t *req, const char *sid, const char *method, char *out_member,
                          uint8_t key[32]) {
  char csrf[CS__SID_MAX];
  if (strnlen(sid, CS__SID_MAX) >= CS__SID_MAX ||
      cs__session_find(req->srv->sessions, sid, cs__now_s(), out_member, csrf, key) < 0) {
    cs__answer_error(req, 401, "not signed in (unknown or expired session)");
    return 401;
  }
  if (!cs__method_changes(method)) {
    memcpy(req->csrf, csrf, sizeof csrf); /* GET /api/me hands it back to the page */
    sodium_memzero(csrf, sizeof csrf);
    return 0;
  }
  const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-CSRF-Token");
  size_t n = strlen(csrf);
  bool ok = h && strlen(h) == n && sodium_memcmp(h, csrf, n) == 0;
  sodium_memzero(csrf, sizeof csrf);
  if (!ok) {
    cs__answer_error(req, 403, "missing or wrong X-CSRF-Token header");
    return 403;
  }
  return 0;
}

static int rate(cs__req_t *req, const uint8_t key[32]) {
  int retry = 0;
  if (cs__ratelimit_take(req->srv->rl, key, cs__now_s(), &retry)) return 0;
  req->retry_after = retry;
  cs__answer_error(req, 429, "too many requests; retry after %d s", retry);
  return 429;
}

int cs__auth_token(cs__req_t *req, const char *tok, char *out_member, uint8_t out_key[32]) {
  int st = token_member(req, tok, out_member, out_key);
  return st ? st : rate(req, out_key);
}

int cs__auth_member(cs__req_t *req, const char *method, char *out_member, uint8_t out_key[32]) {
  const char *tok = bearer(req->conn);
  if (tok) return cs__auth_token(req, tok, out_member, out_key);
  const char *sid = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "cs_session");
  if (!sid) {
    cs__answer_error(req, 401, "sign in: send Authorization: Bearer TOKEN or a session cookie");
    return 401;
  }
  int st = session_member(req, sid, method, out_member, out_key);
  return st ? st : rate(req, out_key);
}

int cs__auth_admin(cs__req_t *req, uint8_t out_key[32]) {
  const char *tok = bearer(req->conn);
  if (!tok) {
    cs__answer_error(req, 401, "admin routes need Authorization: Bearer ADMIN_KEY");
    return 401;
  }
  cs_token_hash(tok, strlen(tok), out_key);
  if (!req->srv->admin_on || sodium_memcmp(out_key, req->srv->admin_hash, 32) != 0) {
    cs__answer_error(req, 403, req->srv->admin_on ? "wrong admin key"
                                                  : "no admin key configured on this server");
    return 403;
  }
  return rate(req, out_key);
}
