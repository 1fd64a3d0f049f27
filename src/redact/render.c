/* render.c — writing the redacted text: placeholders or keyed pseudonyms.
 *
 * Placeholder mode writes "<TYPE>". Pseudonym mode writes "<TYPE_xxxxxxxx>",
 * the first 32 bits of HMAC-SHA256(key, TYPE ":" normalised value) in hex:
 * the same person, number or address gets the same pseudonym in every record
 * and every run under one key, and without the key nothing links back to the
 * value. Values are normalised before hashing (letters lower-cased, and for
 * numbers only the digits and letters kept) so "+44 20 7946 0958" and
 * "+442079460958" agree. The normalised copy is zeroed after use.
 */
#include "redact/internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/jscan.h"

int cs__buf_reserve(cs__buf_t *b, size_t n) {
  int rc = cs__buf_put(b, NULL, n);
  if (rc == CS_OK) b->len -= n;
  return rc;
}

int cs__buf_put(cs__buf_t *b, const void *p, size_t n) {
  if (n > SIZE_MAX - b->len) return CS_ERANGE;
  if (b->len + n > b->cap) {
    size_t nc = b->cap ? b->cap : 4096;
    while (nc < b->len + n) {
      if (nc > SIZE_MAX / 2) return CS_ERANGE;
      nc *= 2;
    }
    char *nb = malloc(nc);
    if (!nb) return CS_ENOMEM;
    if (b->len) memcpy(nb, b->buf, b->len);
    if (b->buf) sodium_memzero(b->buf, b->cap); /* old copy held personal data */
    free(b->buf);
    b->buf = nb;
    b->cap = nc;
  }
  if (n && p) memcpy(b->buf + b->len, p, n);
  b->len += n;
  return CS_OK;
}

int cs__buf_put_json(cs__buf_t *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const char *p = s, *end = s + n;
  int rc = CS_OK;
  while (rc == CS_OK) {
    const char *q = cs_jscan_skim(p, end); /* plain bytes, sixteen at a time */
    rc = cs__buf_put(b, p, (size_t)(q - p));
    if (q == end || rc != CS_OK) break;
    unsigned char c = (unsigned char)*q;
    char e[6] = {'\\', (char)c, 0, 0, 0, 0};
    size_t el = 2;
    if (c == '\n') e[1] = 'n';
    else if (c == '\r') e[1] = 'r';
    else if (c == '\t') e[1] = 't';
    else if (c < 0x20) {
      memcpy(e, "\\u00", 4);
      e[4] = hex[c >> 4];
      e[5] = hex[c & 15];
      el = 6;
    }
    rc = cs__buf_put(b, e, el);
    p = q + 1;
  }
  return rc;
}

void cs__buf_free(cs__buf_t *b) {
  if (b->buf) sodium_memzero(b->buf, b->cap);
  free(b->buf);
  memset(b, 0, sizeof *b);
}

static bool numeric_type(cs_pii_type_t t) {
  return t == CS_PII_PHONE || t == CS_PII_CREDIT_CARD || t == CS_PII_IBAN ||
         t == CS_PII_SSN || t == CS_PII_NINO;
}

static void pseudonym(const uint8_t *key, size_t key_len, cs_pii_type_t t, const char *v,
                      size_t n, char hex[9]) {
  crypto_auth_hmacsha256_state st;
  unsigned char mac[crypto_auth_hmacsha256_BYTES], chunk[256];
  const char *name = cs_pii_type_name(t);
  crypto_auth_hmacsha256_init(&st, key, key_len);
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)name, strlen(name));
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)":", 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    bool keep = numeric_type(t) ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
                                : !(c == ' ' || c == '\n' || c == '\t' || c == '\r');
    if (!keep) continue;
    chunk[o++] = c;
    if (o == sizeof chunk) {
      crypto_auth_hmacsha256_update(&st, chunk, o);
      o = 0;
    }
  }
  crypto_auth_hmacsha256_update(&st, chunk, o);
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_bin2hex(hex, 9, mac, 4);
  sodium_memzero(chunk, sizeof chunk);
  sodium_memzero(&st, sizeof st);
}

/* A piece of the text as it is, or escaped for a JSON string. */
static int put_piece(cs__buf_t *out, const char *p, size_t n, bool json) {
  return json ? cs__buf_put_json(out, p, n) : cs__buf_put(out, p, n);
}

int cs__render(const uint8_t *key, size_t key_len, const char *text, size_t len,
               const cs_pii_match_t *m, size_t n, bool json, cs__buf_t *out) {
  size_t pos = 0;
  if (!json) out->len = 0;
  for (size_t i = 0; i < n; i++) {
    char tag[48];
    if (m[i].start < pos || m[i].end > len) return CS_EINTERNAL; /* resolve() broke */
    const char *name = cs_pii_type_name(m[i].type);
    size_t nl = strlen(name), tl = 0;
    tag[tl++] = '<';
    memcpy(tag + tl, name, nl);
    tl += nl;
    if (key) {
      tag[tl++] = '_';
      pseudonym(key, key_len, m[i].type, text + m[i].start, m[i].end - m[i].start, tag + tl);
      tl += 8;
    }
    tag[tl++] = '>';
    /* a tag needs no escape: "<", ">", "_", upper-case letters, hex */
    int rc = put_piece(out, text + pos, m[i].start - pos, json);
    if (rc == CS_OK) rc = cs__buf_put(out, tag, tl);
    if (rc < 0) return rc;
    pos = m[i].end;
  }
  return put_piece(out, text + pos, len - pos, json);
}
