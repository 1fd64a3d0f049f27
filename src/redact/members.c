/* members.c — the known-member index: names and @handles from the ledger.
 *
 * Millions of members cannot be one regex each. A name is indexed as the
 * hash of its lower-cased token sequence (and, for names of three or more
 * tokens, of first + last token too), plus its first token's hash with a
 * bitmask of the name lengths starting with it. Scanning a record is then
 * one pass over its tokens: a token whose hash is a known first token tries
 * only the lengths in its mask. Handles are hashed lower-cased and looked up
 * after an '@' that does not belong to an e-mail address. Only 64-bit hashes
 * are stored (false-positive rate ~2^-40 per lookup at 1M members), about 60
 * bytes per member in all.
 */
#include "redact/internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NAME_TOKENS 8

enum { SEQ_MULTI = 1, SEQ_SINGLE = 2 }; /* a one-token name must be capitalised */

static int add_seq(cs__members_t *mb, const cs__tok_t *t, size_t n, const size_t *pick) {
  uint64_t h = 0;
  for (size_t i = 0; i < n; i++) h = cs__hash_seq(h, t[pick ? pick[i] : i].hash);
  int rc = cs__hset_put(&mb->seqs, h | 1, n == 1 ? SEQ_SINGLE : SEQ_MULTI);
  if (rc == CS_OK) rc = cs__hset_put(&mb->firsts, t[pick ? pick[0] : 0].hash, (uint8_t)(1u << (n - 1)));
  return rc;
}

static int add_name(cs__members_t *mb, const char *name) {
  cs__tok_t *toks = NULL;
  size_t n = 0, cap = 0;
  int rc = cs__tokenize(name, strlen(name), &toks, &n, &cap);
  if (rc == CS_OK && n > 0 && n <= MAX_NAME_TOKENS) {
    rc = add_seq(mb, toks, n, NULL);
    size_t ends[2] = {0, n - 1};
    if (rc == CS_OK && n >= 3) rc = add_seq(mb, toks, 2, ends);
  }
  free(toks);
  return rc;
}

static int add_handle(cs__members_t *mb, const char *handle) {
  if (handle[0] == '@') handle++;
  size_t n = strlen(handle);
  if (n < 2) return CS_OK;
  return cs__hset_put(&mb->handles, cs__hash_lower(handle, n), 1);
}

int cs__members_add(cs__members_t *mb, const char *name, const char *handle) {
  int rc = CS_OK;
  if (name && *name) rc = add_name(mb, name);
  if (rc == CS_OK && handle && *handle) rc = add_handle(mb, handle);
  if (rc == CS_OK) mb->n_members++;
  return rc;
}

void cs__members_free(cs__members_t *mb) {
  cs__hset_free(&mb->seqs);
  cs__hset_free(&mb->firsts);
  cs__hset_free(&mb->handles);
  mb->n_members = 0;
}

size_t cs__members_bytes(const cs__members_t *mb) {
  return cs__hset_bytes(&mb->seqs) + cs__hset_bytes(&mb->firsts) + cs__hset_bytes(&mb->handles);
}

/* Tokens of one name are separated by spaces, or an initial's ". ". */
static bool name_gap(const char *text, const cs__tok_t *a, const cs__tok_t *b) {
  for (size_t i = a->end; i < b->start; i++)
    if (text[i] != ' ' && !(text[i] == '.' && i == a->end)) return false;
  return b->start - a->end <= 2;
}

/* Longest known name starting at toks[i]; 0 if none. */
static size_t match_at(const cs__members_t *mb, const char *text, const cs__tok_t *toks,
                       size_t n, size_t i) {
  uint8_t lens = cs__hset_get(&mb->firsts, toks[i].hash);
  if (!lens) return 0;
  size_t best = 0;
  uint64_t h = 0;
  for (size_t k = 1; k <= MAX_NAME_TOKENS && i + k <= n; k++) {
    if (k > 1 && !name_gap(text, &toks[i + k - 2], &toks[i + k - 1])) break;
    h = cs__hash_seq(h, toks[i + k - 1].hash);
    if (!(lens & (1u << (k - 1)))) continue;
    uint8_t v = cs__hset_get(&mb->seqs, h | 1);
    if ((v & SEQ_MULTI) || ((v & SEQ_SINGLE) && (toks[i].flags & CS_TOK_CAP))) best = k;
  }
  return best;
}

static bool handle_char(char c) {
  return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '_' ||
         c == '.' || c == '-';
}

static int find_handles(const cs__members_t *mb, const char *text, size_t len, cs__mvec_t *m) {
  const char *p = text, *end = text + len;
  while ((p = memchr(p, '@', (size_t)(end - p))) != NULL) {
    size_t at = (size_t)(p - text), q = at + 1;
    p++;
    if (at > 0 && handle_char(text[at - 1])) continue; /* part of an e-mail */
    while (q < len && handle_char(text[q])) q++;
    while (q > at + 1 && (text[q - 1] == '.' || text[q - 1] == '-')) q--;
    if (q - at < 3 || (q < len && text[q] == '@')) continue;
    if (cs__hset_get(&mb->handles, cs__hash_lower(text + at + 1, q - at - 1))) {
      int rc = cs__mvec_push(m, CS_PII_PERSON, at, q);
      if (rc < 0) return rc;
    }
  }
  return CS_OK;
}

int cs__members_find(const cs__members_t *mb, const char *text, size_t len,
                     const cs__tok_t *toks, size_t n, cs__mvec_t *m) {
  if (mb->n_members == 0) return CS_OK;
  for (size_t i = 0; i < n;) {
    size_t k = match_at(mb, text, toks, n, i);
    if (k) {
      int rc = cs__mvec_push(m, CS_PII_PERSON, toks[i].start, toks[i + k - 1].end);
      if (rc < 0) return rc;
      i += k;
    } else {
      i++;
    }
  }
  return mb->handles.n ? find_handles(mb, text, len, m) : CS_OK;
}
