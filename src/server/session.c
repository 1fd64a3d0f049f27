/* session.c — signed-in page sessions, in memory.
 *
 * A session id and its CSRF token are 32 random bytes each (base64url). The
 * table is keyed by the SHA-256 of the id, so a lookup compares hashes in
 * constant time and the table never holds a usable cookie value (it does
 * hold the CSRF tokens, which are useless without the cookie). The count
 * includes expired sessions not yet reused. Sessions expire after ttl; expired
 * ones are dropped when met. A restart signs everyone out (docs/API.md).
 * Thread-safe: one mutex, held for a linear probe.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "server/server_int.h"

#define SLOTS 16384 /* sessions at most at once */

typedef struct {
  uint8_t key[32];          /* SHA-256 of the session id */
  char member[CS__MEMBER_MAX];
  char csrf[CS__SID_MAX];
  double expires;           /* 0: free */
} slot_t;

struct cs__sessions {
  pthread_mutex_t mu;
  double ttl;
  size_t n;
  slot_t s[SLOTS];
};

int cs__sessions_new(double ttl_s, cs__sessions_t **out) {
  cs__sessions_t *ss = calloc(1, sizeof *ss);
  if (!ss) return CS_ENOMEM;
  pthread_mutex_init(&ss->mu, NULL);
  ss->ttl = ttl_s;
  *out = ss;
  return CS_OK;
}

void cs__sessions_free(cs__sessions_t *ss) {
  if (!ss) return;
  pthread_mutex_destroy(&ss->mu);
  sodium_memzero(ss, sizeof *ss);
  free(ss);
}

static void random_b64(char *out) {
  uint8_t r[32];
  randombytes_buf(r, sizeof r);
  sodium_bin2base64(out, CS__SID_MAX, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(r, sizeof r);
}

static size_t home(const uint8_t key[32]) {
  uint64_t h;
  memcpy(&h, key, sizeof h);
  return (size_t)(h % SLOTS);
}

int cs__session_create(cs__sessions_t *ss, const char *member, double now_s, char *out_sid,
                       char *out_csrf) {
  if (strlen(member) >= CS__MEMBER_MAX) return CS_EINVAL;
  random_b64(out_sid);
  random_b64(out_csrf);
  uint8_t key[32];
  cs_token_hash(out_sid, strlen(out_sid), key);
  int rc = CS_ENOMEM; /* the table is full of live sessions */
  pthread_mutex_lock(&ss->mu);
  for (size_t i = 0, h = home(key); i < SLOTS; i++) {
    slot_t *s = &ss->s[(h + i) % SLOTS];
    if (s->expires > now_s) continue;
    if (s->expires <= 0) ss->n++; /* a free slot or a tombstone */
    memcpy(s->key, key, 32);
    snprintf(s->member, sizeof s->member, "%s", member);
    snprintf(s->csrf, sizeof s->csrf, "%s", out_csrf);
    s->expires = now_s + ss->ttl;
    rc = CS_OK;
    break;
  }
  pthread_mutex_unlock(&ss->mu);
  return rc;
}

/* The live slot for key, or NULL; the caller holds mu. Probing stops at a
 * never-used slot; removed slots keep expires = -1 as tombstones. */
static slot_t *lookup(cs__sessions_t *ss, const uint8_t key[32], double now_s) {
  for (size_t i = 0, h = home(key); i < SLOTS; i++) {
    slot_t *s = &ss->s[(h + i) % SLOTS];
    if (s->expires == 0) return NULL;
    if (s->expires > now_s && sodium_memcmp(s->key, key, 32) == 0) return s;
  }
  return NULL;
}

int cs__session_find(cs__sessions_t *ss, const char *sid, double now_s, char *out_member,
                     char *out_csrf, uint8_t out_key[32]) {
  uint8_t key[32];
  cs_token_hash(sid, strlen(sid), key);
  pthread_mutex_lock(&ss->mu);
  slot_t *s = lookup(ss, key, now_s);
  if (s) {
    memcpy(out_member, s->member, CS__MEMBER_MAX);
    memcpy(out_csrf, s->csrf, CS__SID_MAX);
    memcpy(out_key, key, 32);
  }
  pthread_mutex_unlock(&ss->mu);
  return s ? CS_OK : CS_ENOTFOUND;
}

void cs__session_remove(cs__sessions_t *ss, const char *sid) {
  uint8_t key[32];
  cs_token_hash(sid, strlen(sid), key);
  pthread_mutex_lock(&ss->mu);
  slot_t *s = lookup(ss, key, -1.0); /* live or expired */
  if (s) {
    sodium_memzero(s->csrf, sizeof s->csrf);
    s->expires = -1; /* tombstone: later probes continue past it */
    ss->n--;
  }
  pthread_mutex_unlock(&ss->mu);
}

size_t cs__session_count(cs__sessions_t *ss) {
  pthread_mutex_lock(&ss->mu);
  size_t n = ss->n;
  pthread_mutex_unlock(&ss->mu);
  return n;
}
