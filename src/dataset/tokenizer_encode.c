/* tokenizer_encode.c — encoding (chunk cache, merge by rank) and decoding.
 *
 * A chunk is encoded as in GPT-2's bpe(): start from its bytes and merge,
 * again and again, the adjacent pair with the lowest rank (the leftmost one
 * on a tie) until no pair merges. The pair ranks of the current symbols sit
 * in an array beside them, so each step is a scan of small integers and only
 * the two pairs next to a merge need a fresh look-up in the rank table. This
 * gives exactly the training's segmentation: a merge's left-to-right pass
 * over a word is what leftmost-lowest-rank-first does, and any pair a merge
 * creates ranks after it.
 *
 * Most chunks of real text repeat, so a per-thread cache maps chunk bytes to
 * their tokens (XXH3, open addressing, chunks up to CACHE_MAX_KEY bytes).
 * When it fills up it is emptied: memory stays bounded, output unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "dataset/tokenizer_int.h"

#define CACHE_SLOTS ((size_t)1 << 17)
#define CACHE_LIMIT (CACHE_SLOTS / 2)
#define CACHE_MAX_KEY 32

typedef struct {
  uint64_t hash;
  uint32_t off;     /* key bytes at bytes[off], then n_tok tokens at toks[tok_off] */
  uint32_t tok_off;
  uint8_t len;      /* 0: empty slot */
  uint8_t n_tok;
} cache_slot_t;

struct cs_tokenizer_cache {
  const cs_tokenizer_t *tok;
  cache_slot_t *slots;
  size_t used;
  unsigned char *bytes; /* CACHE_LIMIT * CACHE_MAX_KEY */
  cs_token_t *toks;     /* as many */
  size_t bytes_len, toks_len;
};

int cs_tokenizer_cache_new(const cs_tokenizer_t *tok, cs_tokenizer_cache_t **out) {
  cs_tokenizer_cache_t *c = calloc(1, sizeof *c);
  if (!c) return CS_ENOMEM;
  c->tok = tok;
  c->slots = calloc(CACHE_SLOTS, sizeof *c->slots);
  c->bytes = malloc(CACHE_LIMIT * CACHE_MAX_KEY);
  c->toks = malloc(CACHE_LIMIT * CACHE_MAX_KEY * sizeof *c->toks);
  if (!c->slots || !c->bytes || !c->toks) {
    cs_tokenizer_cache_free(c);
    return CS_ENOMEM;
  }
  *out = c;
  return CS_OK;
}

void cs_tokenizer_cache_free(cs_tokenizer_cache_t *c) {
  if (!c) return;
  free(c->slots);
  free(c->bytes);
  free(c->toks);
  free(c);
}

/* BPE of one chunk (1..CS_TOK_MAX_CHUNK bytes) into out; returns the count. */
static size_t bpe_chunk(const cs_tokenizer_t *tok, const unsigned char *p, size_t n,
                        cs_token_t *out) {
  uint32_t sym[CS_TOK_MAX_CHUNK], rank[CS_TOK_MAX_CHUNK];
  for (size_t i = 0; i < n; i++) sym[i] = p[i];
  for (size_t i = 0; i + 1 < n; i++) rank[i] = cs__tok_rank(tok, sym[i], sym[i + 1]);
  while (n > 1) {
    size_t best = 0;
    for (size_t i = 1; i + 1 < n; i++)
      if (rank[i] < rank[best]) best = i;
    if (rank[best] == UINT32_MAX) break;
    sym[best] = CS_TOK_FIRST_MERGE + rank[best];
    memmove(sym + best + 1, sym + best + 2, (n - best - 2) * sizeof *sym);
    memmove(rank + best + 1, rank + best + 2, (n - best - 2) * sizeof *rank);
    n--;
    if (best > 0) rank[best - 1] = cs__tok_rank(tok, sym[best - 1], sym[best]);
    if (best + 1 < n) rank[best] = cs__tok_rank(tok, sym[best], sym[best + 1]);
  }
  for (size_t i = 0; i < n; i++) out[i] = (cs_token_t)sym[i];
  return n;
}

static void cache_clear(cs_tokenizer_cache_t *c) {
  memset(c->slots, 0, CACHE_SLOTS * sizeof *c->slots);
  c->used = c->bytes_len = c->toks_len = 0;
}

/* Encodes a chunk through the cache; out has room for n tokens. */
static size_t cached_chunk(const cs_tokenizer_t *tok, cs_tokenizer_cache_t *c,
                           const unsigned char *p, size_t n, cs_token_t *out) {
  if (!c || n > CACHE_MAX_KEY) return bpe_chunk(tok, p, n, out);
  uint64_t h = XXH3_64bits(p, n);
  size_t i = (size_t)h & (CACHE_SLOTS - 1);
  for (cache_slot_t *s; (s = &c->slots[i])->len; i = (i + 1) & (CACHE_SLOTS - 1)) {
    if (s->hash == h && s->len == n && memcmp(c->bytes + s->off, p, n) == 0) {
      memcpy(out, c->toks + s->tok_off, s->n_tok * sizeof *out);
      return s->n_tok;
    }
  }
  size_t k = bpe_chunk(tok, p, n, out);
  if (c->used == CACHE_LIMIT) { /* full: start over (the slot found is free then too) */
    cache_clear(c);
    i = (size_t)h & (CACHE_SLOTS - 1);
  }
  memcpy(c->bytes + c->bytes_len, p, n);
  memcpy(c->toks + c->toks_len, out, k * sizeof *out);
  c->slots[i] = (cache_slot_t){h, (uint32_t)c->bytes_len, (uint32_t)c->toks_len, (uint8_t)n,
                               (uint8_t)k};
  c->bytes_len += n;
  c->toks_len += k;
  c->used++;
  return k;
}

typedef struct {
  const cs_tokenizer_t *tok;
  cs_tokenizer_cache_t *cache;
  cs_tokens_t *out;
} enc_ctx_t;

static int encode_piece(void *ctx, const unsigned char *p, size_t len, int special) {
  enc_ctx_t *e = ctx;
  cs_tokens_t *out = e->out;
  int rc = cs__grow((void **)&out->ids, &out->cap, out->len, len, sizeof *out->ids);
  if (rc < 0) return rc;
  if (special) {
    out->ids[out->len++] = (cs_token_t)special;
  } else if (len == 1) {
    out->ids[out->len++] = *p;
  } else {
    out->len += cached_chunk(e->tok, e->cache, p, len, out->ids + out->len);
  }
  return CS_OK;
}

static int encode(const cs_tokenizer_t *tok, cs_tokenizer_cache_t *cache, const void *text,
                  size_t len, bool final, cs_tokens_t *out, size_t *consumed) {
  if (cache && cache->tok != tok) return CS_EINVAL;
  size_t old = out->len;
  enc_ctx_t e = {tok, cache, out};
  int rc = cs__pretok_walk(text, len, final, encode_piece, &e, consumed);
  if (rc < 0) out->len = old;
  return rc;
}

int cs_tokenizer_encode(const cs_tokenizer_t *tok, cs_tokenizer_cache_t *cache, const void *text,
                        size_t len, cs_tokens_t *out) {
  return encode(tok, cache, text, len, true, out, NULL);
}

int cs_tokenizer_encode_prefix(const cs_tokenizer_t *tok, cs_tokenizer_cache_t *cache,
                               const void *text, size_t len, cs_tokens_t *out,
                               size_t *consumed) {
  return encode(tok, cache, text, len, false, out, consumed);
}

int cs_tokenizer_decode(const cs_tokenizer_t *tok, const cs_token_t *ids, size_t n,
                        cs_tok_bytes_t *out) {
  size_t total = 0, v = cs_tokenizer_vocab_size(tok);
  for (size_t i = 0; i < n; i++) {
    if (ids[i] >= v) return CS_EINVAL;
    if (total > SIZE_MAX - CS_TOK_MAX_CHUNK) return CS_ERANGE;
    total += tok->tok_len[ids[i]];
  }
  int rc = cs__grow((void **)&out->data, &out->cap, out->len, total, 1);
  if (rc < 0) return rc;
  for (size_t i = 0; i < n; i++) {
    memcpy(out->data + out->len, tok->tok_bytes + tok->tok_off[ids[i]], tok->tok_len[ids[i]]);
    out->len += tok->tok_len[ids[i]];
  }
  return CS_OK;
}
