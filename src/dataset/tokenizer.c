/* tokenizer.c — the tokenizer object: token bytes, merge-rank table, hash.
 *
 * Everything a loaded or trained tokenizer needs is derived from its merge
 * list here, in one place, so the trainer and the loader cannot disagree.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "dataset/tokenizer_int.h"

int cs__grow(void **buf, size_t *cap, size_t len, size_t extra, size_t elem) {
  if (extra > SIZE_MAX - len) return CS_ERANGE;
  size_t need = len + extra;
  if (need <= *cap) return CS_OK;
  size_t n = *cap ? *cap : 16;
  while (n < need) {
    if (n > SIZE_MAX / 2) return CS_ERANGE;
    n *= 2;
  }
  if (n > SIZE_MAX / elem) return CS_ERANGE;
  void *p = realloc(*buf, n * elem);
  if (!p) return CS_ENOMEM;
  *buf = p;
  *cap = n;
  return CS_OK;
}

void cs_tokens_free(cs_tokens_t *t) {
  if (!t) return;
  free(t->ids);
  memset(t, 0, sizeof *t);
}

void cs_tok_bytes_free(cs_tok_bytes_t *b) {
  if (!b) return;
  free(b->data);
  memset(b, 0, sizeof *b);
}

void cs_tokenizer_free(cs_tokenizer_t *tok) {
  if (!tok) return;
  free(tok->pairs);
  free(tok->tok_off);
  free(tok->tok_len);
  free(tok->tok_bytes);
  free(tok->rank_tab);
  free(tok->byte_rank);
  free(tok);
}

size_t cs_tokenizer_vocab_size(const cs_tokenizer_t *tok) {
  return CS_TOK_FIRST_MERGE + tok->n_merges;
}

size_t cs_tokenizer_n_merges(const cs_tokenizer_t *tok) { return tok->n_merges; }

void cs_tokenizer_merge(const cs_tokenizer_t *tok, size_t rank, uint32_t *left, uint32_t *right) {
  *left = rank < tok->n_merges ? tok->pairs[2 * rank] : 0;
  *right = rank < tok->n_merges ? tok->pairs[2 * rank + 1] : 0;
}

int cs_tokenizer_token_bytes(const cs_tokenizer_t *tok, uint32_t id, const unsigned char **bytes,
                             size_t *len) {
  if (id >= cs_tokenizer_vocab_size(tok)) return CS_EINVAL;
  *bytes = tok->tok_bytes + tok->tok_off[id];
  *len = tok->tok_len[id];
  return CS_OK;
}

void cs_tokenizer_hash(const cs_tokenizer_t *tok, char hex[CS_TOK_HASH_HEX]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 32; i++) {
    hex[2 * i] = digits[tok->sha256[i] >> 4];
    hex[2 * i + 1] = digits[tok->sha256[i] & 15];
  }
  hex[64] = '\0';
}

/* Checks merge r and sets the length of the token it makes. */
static int check_merge(cs_tokenizer_t *tok, size_t r, cs_diag_t *diag) {
  uint32_t a = tok->pairs[2 * r], b = tok->pairs[2 * r + 1], id = (uint32_t)(CS_TOK_FIRST_MERGE + r);
  if (a >= id || b >= id)
    return cs_diag_set(diag, CS_EINVAL, "merge %zu: [%u, %u] uses a token not yet defined", r, a,
                       b);
  if ((a >= CS_TOK_EOT && a < CS_TOK_FIRST_MERGE) || (b >= CS_TOK_EOT && b < CS_TOK_FIRST_MERGE))
    return cs_diag_set(diag, CS_EINVAL, "merge %zu: [%u, %u] uses a special token", r, a, b);
  size_t n = (size_t)tok->tok_len[a] + tok->tok_len[b];
  if (n > CS_TOK_MAX_CHUNK)
    return cs_diag_set(diag, CS_EINVAL, "merge %zu: makes a token of %zu bytes (at most %d)", r,
                       n, CS_TOK_MAX_CHUNK);
  tok->tok_len[id] = (uint16_t)n;
  return CS_OK;
}

/* Lengths of every token, then their bytes laid out in id order. */
static int build_vocab(cs_tokenizer_t *tok, cs_diag_t *diag) {
  size_t v = cs_tokenizer_vocab_size(tok), total = 0;
  for (int i = 0; i < CS_TOK_N_BYTES; i++) tok->tok_len[i] = 1;
  for (int i = CS_TOK_EOT; i < CS_TOK_FIRST_MERGE; i++)
    tok->tok_len[i] = (uint16_t)strlen(cs_tokenizer_special_text(i));
  for (size_t r = 0; r < tok->n_merges; r++) {
    int rc = check_merge(tok, r, diag);
    if (rc < 0) return rc;
  }
  for (size_t id = 0; id < v; id++) {
    tok->tok_off[id] = (uint32_t)total; /* total <= 65535 * 256: fits */
    total += tok->tok_len[id];
  }
  if (!(tok->tok_bytes = malloc(total))) return CS_ENOMEM;
  for (int i = 0; i < CS_TOK_N_BYTES; i++) tok->tok_bytes[i] = (unsigned char)i;
  for (int i = CS_TOK_EOT; i < CS_TOK_FIRST_MERGE; i++)
    memcpy(tok->tok_bytes + tok->tok_off[i], cs_tokenizer_special_text(i), tok->tok_len[i]);
  for (size_t r = 0; r < tok->n_merges; r++) {
    uint32_t a = tok->pairs[2 * r], b = tok->pairs[2 * r + 1];
    unsigned char *dst = tok->tok_bytes + tok->tok_off[CS_TOK_FIRST_MERGE + r];
    memcpy(dst, tok->tok_bytes + tok->tok_off[a], tok->tok_len[a]);
    memcpy(dst + tok->tok_len[a], tok->tok_bytes + tok->tok_off[b], tok->tok_len[b]);
  }
  return CS_OK;
}

static int build_ranks(cs_tokenizer_t *tok, cs_diag_t *diag) {
  size_t size = 64;
  while (size < 2 * tok->n_merges) size *= 2;
  tok->rank_mask = size - 1;
  tok->rank_tab = calloc(size, sizeof *tok->rank_tab);
  tok->byte_rank = malloc(65536 * sizeof *tok->byte_rank);
  if (!tok->rank_tab || !tok->byte_rank) return CS_ENOMEM;
  memset(tok->byte_rank, 0xFF, 65536 * sizeof *tok->byte_rank); /* UINT32_MAX: no merge */
  for (size_t r = 0; r < tok->n_merges; r++) {
    uint32_t a = tok->pairs[2 * r], b = tok->pairs[2 * r + 1];
    if (cs__tok_rank(tok, a, b) != UINT32_MAX)
      return cs_diag_set(diag, CS_EINVAL, "merge %zu: [%u, %u] repeats merge %u", r, a, b,
                         cs__tok_rank(tok, a, b));
    uint32_t key = (a << 16 | b) + 1;
    size_t i = cs__tok_rank_slot(key, tok->rank_mask);
    if ((a | b) < 256) tok->byte_rank[a << 8 | b] = (uint32_t)r;
    while (tok->rank_tab[i]) i = (i + 1) & tok->rank_mask;
    tok->rank_tab[i] = (uint64_t)key << 32 | (uint32_t)r;
  }
  return CS_OK;
}

static int compute_hash(cs_tokenizer_t *tok) {
  char *json;
  size_t len;
  int rc = cs__tok_serialize(tok->pairs, tok->n_merges, &json, &len);
  if (rc < 0) return rc;
  crypto_hash_sha256(tok->sha256, (const unsigned char *)json, len);
  free(json);
  return CS_OK;
}

int cs_tokenizer_from_merges(const uint32_t *pairs, size_t n_merges, cs_tokenizer_t **out,
                             cs_diag_t *diag) {
  if (n_merges > CS_TOK_MAX_VOCAB - CS_TOK_FIRST_MERGE)
    return cs_diag_set(diag, CS_ERANGE, "%zu merges make a vocabulary over %d tokens", n_merges,
                       CS_TOK_MAX_VOCAB);
  cs_tokenizer_t *tok = calloc(1, sizeof *tok);
  if (!tok) return CS_ENOMEM;
  size_t v = CS_TOK_FIRST_MERGE + n_merges;
  tok->n_merges = n_merges;
  tok->pairs = malloc((2 * n_merges + 1) * sizeof *pairs);
  tok->tok_off = malloc(v * sizeof *tok->tok_off);
  tok->tok_len = malloc(v * sizeof *tok->tok_len);
  int rc = CS_ENOMEM;
  if (!tok->pairs || !tok->tok_off || !tok->tok_len) goto fail;
  if (n_merges) memcpy(tok->pairs, pairs, 2 * n_merges * sizeof *pairs);
  if ((rc = build_vocab(tok, diag)) < 0 || (rc = build_ranks(tok, diag)) < 0 ||
      (rc = compute_hash(tok)) < 0)
    goto fail;
  *out = tok;
  return CS_OK;
fail:
  cs_tokenizer_free(tok);
  return rc;
}
