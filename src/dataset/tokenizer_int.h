/* tokenizer_int.h — internals shared by the tokenizer's files (not public).
 *
 * tokenizer.c          the object: token bytes, the merge-rank table, hash
 * tokenizer_pretok.c   cutting text into placeholders and chunks
 * tokenizer_count.c    the trainer's chunk-frequency table and its inputs
 * tokenizer_train.c    learning merges (incremental pair counts + max-heap)
 * tokenizer_encode.c   encoding (chunk cache, merge by rank) and decoding
 * tokenizer_file.c     tokenizer.json: canonical writer and strict loader
 */
#ifndef CS_DATASET_TOKENIZER_INT_H
#define CS_DATASET_TOKENIZER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/tokenizer.h>

/* Bytes past a chunk's end the chunker may look at; a streaming caller keeps
 * this much input unprocessed (also covers a partial placeholder). */
#define CS_TOK_LOOKAHEAD 16

struct cs_tokenizer {
  size_t n_merges;
  uint32_t *pairs;           /* (left, right) of merge r at [2r], [2r+1] */
  uint32_t *tok_off;         /* bytes of token id: tok_bytes[tok_off[id]..] */
  uint16_t *tok_len;         /*   ... tok_len[id] of them */
  unsigned char *tok_bytes;
  uint32_t *byte_rank;        /* [left << 8 | right] for two byte tokens: most
                                look-ups, answered without hashing */
  uint64_t *rank_tab;        /* open addressing: key << 32 | rank, 0 empty, where
                                key = (left << 16 | right) + 1 */
  size_t rank_mask;          /* table size - 1 (a power of two) */
  unsigned char sha256[32];  /* of the canonical tokenizer.json */
};

/* Home slot of a rank-table key: the high half of a 64-bit multiplicative
 * hash (the low bits of key * odd depend only on key's low bits, which would
 * pile every pair with the same right token into one probe chain). */
static inline size_t cs__tok_rank_slot(uint32_t key, size_t mask) {
  return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Rank of merging (left, right), or UINT32_MAX when they do not merge. */
static inline uint32_t cs__tok_rank(const cs_tokenizer_t *tok, uint32_t left, uint32_t right) {
  if ((left | right) < 256) return tok->byte_rank[left << 8 | right];
  uint32_t key = (left << 16 | right) + 1;
  size_t i = cs__tok_rank_slot(key, tok->rank_mask);
  for (;;) {
    uint64_t e = tok->rank_tab[i];
    if ((uint32_t)(e >> 32) == key) return (uint32_t)e;
    if (e == 0) return UINT32_MAX;
    i = (i + 1) & tok->rank_mask;
  }
}

/* The canonical tokenizer.json of the merges; *out is malloc'd. */
int cs__tok_serialize(const uint32_t *pairs, size_t n_merges, char **out, size_t *out_len);

/* ---- pre-tokenization (tokenizer_pretok.c) ---- */

/* Length of the chunk starting at p (p < end), at most CS_TOK_MAX_CHUNK; reads
 * no byte at or past min(end, p + length + CS_TOK_LOOKAHEAD). */
size_t cs__pretok_chunk(const unsigned char *p, const unsigned char *end);

/* If a redaction placeholder starts at p, its special id (257..266) and
 * *len its length; else 0. */
int cs__pretok_placeholder(const unsigned char *p, const unsigned char *end, size_t *len);

/* Called for each piece: a chunk (special == 0) or a placeholder (its id). */
typedef int (*cs__piece_fn)(void *ctx, const unsigned char *p, size_t len, int special);

/* Cuts buf[0, len) into pieces in order. final false: stops before the first
 * piece that more input could change; *consumed says where. A callback's
 * negative return stops the walk and is returned. */
int cs__pretok_walk(const unsigned char *buf, size_t len, bool final, cs__piece_fn fn, void *ctx,
                    size_t *consumed);

/* ---- the trainer's chunk table (tokenizer_count.c) ---- */

typedef struct {
  uint64_t hash;  /* XXH3 of the chunk; slot empty when count == 0 */
  uint64_t count;
  size_t off;     /* bytes in the arena */
  uint32_t len;
} cs__chunk_slot_t;

struct cs_tok_trainer {
  cs__chunk_slot_t *slots;
  size_t mask, used;
  unsigned char *arena;
  size_t arena_len, arena_cap;
  uint64_t bytes, chunks;
};

/* ---- growth helpers ---- */

/* Makes room for extra more elements of size elem in *buf (len used, *cap
 * allocated); CS_ENOMEM or CS_ERANGE on failure, *buf unchanged. */
int cs__grow(void **buf, size_t *cap, size_t len, size_t extra, size_t elem);

#endif
