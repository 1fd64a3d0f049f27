/* tokenizer.h — a deterministic byte-level BPE tokenizer.
 *
 * Token ids (docs/TOKENIZER.md has the file format and the exact rules):
 *   0..255     one token per byte value, so any input encodes, invalid UTF-8,
 *              NULs and all;
 *   256        <|endoftext|> (CS_TOK_EOT), the document separator;
 *   257..266   one per redaction placeholder, "<EMAIL>" ... "<ADDRESS>";
 *   267..      merges, in the order they were learned (rank r is id 267 + r).
 * The vocabulary size is 267 + the number of merges and at most 65535, so a
 * token fits the uint16 of the llm.c shard format (shard.h).
 *
 * Encoding first cuts the text at placeholders (the exact text "<EMAIL>" etc.
 * becomes its one special token), then splits the rest into chunks GPT-2 style
 * (a run of letters, of digits or of punctuation with an optional leading
 * space; whitespace), then merges bytes within each chunk by rank. Merges never
 * cross a chunk. The text "<|endoftext|>" is encoded as ordinary bytes, so a
 * member cannot forge a document boundary; append CS_TOK_EOT yourself.
 * Decoding concatenates the tokens' bytes: decode(encode(x)) == x for every x.
 *
 * Threads: a cs_tokenizer_t is immutable once trained or loaded and may be
 * shared by any number of threads. Encoding keeps a cache of recent chunks in
 * a cs_tokenizer_cache_t, which belongs to one thread at a time; give each
 * thread its own (or pass NULL: correct, thread-safe, slower). A trainer
 * belongs to one thread.
 */
#ifndef CONSENTRY_TOKENIZER_H
#define CONSENTRY_TOKENIZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>

#define CS_TOK_N_BYTES 256
#define CS_TOK_EOT 256          /* <|endoftext|> */
#define CS_TOK_N_SPECIAL 11     /* <|endoftext|> and the ten placeholders */
#define CS_TOK_FIRST_MERGE 267  /* id of the first merged token */
#define CS_TOK_MAX_VOCAB 65535  /* ids must fit a uint16 shard token */
#define CS_TOK_MAX_CHUNK 256    /* longest chunk in bytes; longer runs are cut */
#define CS_TOK_HASH_HEX 65      /* SHA-256 as 64 hex digits and a NUL */

typedef uint16_t cs_token_t;
typedef struct cs_tokenizer cs_tokenizer_t;
typedef struct cs_tokenizer_cache cs_tokenizer_cache_t;
typedef struct cs_tok_trainer cs_tok_trainer_t;

/* A growable array of tokens; zero-initialize, release with cs_tokens_free.
 * Encoding appends to it. */
typedef struct {
  cs_token_t *ids;
  size_t len, cap;
} cs_tokens_t;

/* A growable byte buffer; zero-initialize, release with cs_tok_bytes_free.
 * Decoding appends to it. */
typedef struct {
  unsigned char *data;
  size_t len, cap;
} cs_tok_bytes_t;

void cs_tokens_free(cs_tokens_t *t);       /* frees the array, zeroes *t */
void cs_tok_bytes_free(cs_tok_bytes_t *b); /* frees the data, zeroes *b */

/* The text of special token id (256..266), or NULL for any other id. */
const char *cs_tokenizer_special_text(int id);

/* ---- training ---------------------------------------------------------- */

typedef struct {
  int phase;              /* 0: reading input, 1: merging */
  uint64_t bytes;         /* input bytes read so far */
  uint64_t unique_chunks; /* distinct chunks counted */
  size_t merges_done, merges_target;
} cs_tok_train_progress_t;

typedef struct {
  size_t vocab;          /* wanted vocabulary size, CS_TOK_FIRST_MERGE..65535 */
  uint64_t min_count;    /* stop when the best pair occurs fewer times; 0 means 2 */
  void (*progress)(void *ctx, const cs_tok_train_progress_t *p); /* may be NULL */
  void *progress_ctx;
} cs_tok_train_opts_t;

typedef struct {
  uint64_t bytes;         /* input text bytes (after JSON unescaping) */
  uint64_t chunks;        /* chunks counted, repeats included */
  uint64_t unique_chunks; /* distinct chunks */
  size_t merges;          /* merges learned; vocab = 267 + merges */
  bool stopped_early;     /* no pair left with min_count occurrences before vocab */
} cs_tok_train_stats_t;

CS_MUST_USE int cs_tok_trainer_new(cs_tok_trainer_t **out);
void cs_tok_trainer_free(cs_tok_trainer_t *tr);
/* Counts the chunks of one text (a document). */
CS_MUST_USE int cs_tok_trainer_add_text(cs_tok_trainer_t *tr, const void *text, size_t len);
/* Streams a plain text file ("-" is stdin) as one document. */
CS_MUST_USE int cs_tok_trainer_add_text_file(cs_tok_trainer_t *tr, const char *path,
                                             const cs_tok_train_opts_t *opts, cs_diag_t *diag);
/* Streams content JSONL ("-" is stdin, *.zst decompressed): the `text` field
 * of each record is one document; records without text are skipped. A
 * malformed line is CS_EINVAL with FILE:LINE. */
CS_MUST_USE int cs_tok_trainer_add_jsonl(cs_tok_trainer_t *tr, const char *path,
                                         const cs_tok_train_opts_t *opts, cs_diag_t *diag);
/* Learns merges until opts->vocab tokens (or no pair is frequent enough) and
 * returns the tokenizer. Pairs are chosen by highest count, ties broken by
 * the lowest (left id, right id): the same inputs and options always give
 * the same tokenizer. CS_ERANGE for a vocab outside 267..65535. The trainer
 * is not changed: finish again (another vocab) or add more text first.
 * stats may be NULL. */
CS_MUST_USE int cs_tok_trainer_finish(cs_tok_trainer_t *tr, const cs_tok_train_opts_t *opts,
                                      cs_tokenizer_t **out, cs_tok_train_stats_t *stats,
                                      cs_diag_t *diag);

/* ---- the tokenizer ----------------------------------------------------- */

/* Builds a tokenizer from merges (pairs[2*i], pairs[2*i+1] make id 267+i).
 * Each pair must use ids below its own and make a token of at most
 * CS_TOK_MAX_CHUNK bytes; no pair may repeat. */
CS_MUST_USE int cs_tokenizer_from_merges(const uint32_t *pairs, size_t n_merges,
                                         cs_tokenizer_t **out, cs_diag_t *diag);
void cs_tokenizer_free(cs_tokenizer_t *tok);

size_t cs_tokenizer_vocab_size(const cs_tokenizer_t *tok); /* 267 + merges */
size_t cs_tokenizer_n_merges(const cs_tokenizer_t *tok);
/* The pair merged into id 267 + rank. */
void cs_tokenizer_merge(const cs_tokenizer_t *tok, size_t rank, uint32_t *left, uint32_t *right);
/* The bytes a token decodes to (specials: their text); CS_EINVAL if id is
 * not in the vocabulary. *bytes points into tok. */
CS_MUST_USE int cs_tokenizer_token_bytes(const cs_tokenizer_t *tok, uint32_t id,
                                         const unsigned char **bytes, size_t *len);

/* Writes DIR/tokenizer.json (created with DIR if missing, atomically). */
CS_MUST_USE int cs_tokenizer_save(const cs_tokenizer_t *tok, const char *dir, cs_diag_t *diag);
/* Loads DIR/tokenizer.json, validating it strictly: errors name FILE:LINE. */
CS_MUST_USE int cs_tokenizer_load(const char *dir, cs_tokenizer_t **out, cs_diag_t *diag);
/* SHA-256 of the tokenizer.json this tokenizer saves as (equal to the file's
 * hash), as lowercase hex: the identity dataset manifests record. */
void cs_tokenizer_hash(const cs_tokenizer_t *tok, char hex[CS_TOK_HASH_HEX]);

/* ---- encoding and decoding --------------------------------------------- */

/* A per-thread chunk cache bound to tok (which must outlive it). Memory is
 * bounded: the cache empties itself when full. */
CS_MUST_USE int cs_tokenizer_cache_new(const cs_tokenizer_t *tok, cs_tokenizer_cache_t **out);
void cs_tokenizer_cache_free(cs_tokenizer_cache_t *c);

/* Appends the tokens of text[0, len) to out. cache may be NULL; a cache bound
 * to another tokenizer is CS_EINVAL. On failure out keeps its old length. */
CS_MUST_USE int cs_tokenizer_encode(const cs_tokenizer_t *tok, cs_tokenizer_cache_t *cache,
                                    const void *text, size_t len, cs_tokens_t *out);
/* Streaming: encodes the longest prefix of text whose tokens cannot change
 * whatever bytes follow, and sets *consumed to its length (always all but
 * fewer than CS_TOK_MAX_CHUNK + 16 bytes). Keep the rest, append more input,
 * call again; finish with cs_tokenizer_encode on the remainder. The tokens
 * are exactly those of encoding the whole text at once. */
CS_MUST_USE int cs_tokenizer_encode_prefix(const cs_tokenizer_t *tok,
                                           cs_tokenizer_cache_t *cache, const void *text,
                                           size_t len, cs_tokens_t *out, size_t *consumed);
/* Appends the bytes of ids[0, n) to out; CS_EINVAL (out unchanged) if an id
 * is not in the vocabulary. */
CS_MUST_USE int cs_tokenizer_decode(const cs_tokenizer_t *tok, const cs_token_t *ids, size_t n,
                                    cs_tok_bytes_t *out);

#endif
