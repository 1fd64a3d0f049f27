/* shard.h — token shards in the llm.c layout.
 *
 * A shard is a header of 256 little-endian int32 — [0] the magic 20240520,
 * [1] the version 1, [2] the number of tokens, the rest zero — followed by
 * that many little-endian uint16 tokens. llm.c and other trainers read it as
 * is. A shard holds at most INT32_MAX tokens.
 *
 * The writer streams tokens to a temporary file and, on commit, patches the
 * count into the header and renames the file into place (afile.h): a reader
 * never sees a partial shard. The reader checks the header against the file
 * size before handing out any token. Writers and readers belong to one
 * thread each.
 */
#ifndef CONSENTRY_SHARD_H
#define CONSENTRY_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>

#define CS_SHARD_MAGIC 20240520
#define CS_SHARD_VERSION 1
#define CS_SHARD_HEADER_INTS 256
#define CS_SHARD_HEADER_BYTES (CS_SHARD_HEADER_INTS * 4)
#define CS_SHARD_MAX_TOKENS ((uint64_t)INT32_MAX)

typedef struct cs_shard_writer cs_shard_writer_t;
typedef struct cs_shard_reader cs_shard_reader_t;

CS_MUST_USE int cs_shard_writer_open(const char *path, cs_shard_writer_t **out, cs_diag_t *diag);
/* Appends tokens; CS_ERANGE (nothing written) past CS_SHARD_MAX_TOKENS. */
CS_MUST_USE int cs_shard_writer_write(cs_shard_writer_t *w, const uint16_t *tokens, size_t n,
                                      cs_diag_t *diag);
uint64_t cs_shard_writer_count(const cs_shard_writer_t *w);
/* Writes the header, publishes the shard under its name, frees w (also on
 * failure, when nothing is published). */
CS_MUST_USE int cs_shard_writer_commit(cs_shard_writer_t *w, cs_diag_t *diag);
/* Discards the shard and frees w; accepts NULL. */
void cs_shard_writer_abort(cs_shard_writer_t *w);

/* Opens and validates a shard: magic, version, and a token count that matches
 * the file size exactly. CS_EINVAL names the path and what is wrong. */
CS_MUST_USE int cs_shard_reader_open(const char *path, cs_shard_reader_t **out, cs_diag_t *diag);
uint64_t cs_shard_reader_count(const cs_shard_reader_t *r);
/* Reads up to cap next tokens into buf; *n_read 0 at the end. */
CS_MUST_USE int cs_shard_reader_read(cs_shard_reader_t *r, uint16_t *buf, size_t cap,
                                     size_t *n_read, cs_diag_t *diag);
void cs_shard_reader_close(cs_shard_reader_t *r);

#endif
