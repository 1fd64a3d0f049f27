/* merkle.h — a SHA-256 Merkle root over a dataset's included records.
 *
 * Leaves are SHA-256(0x00 || record id || 0x00 || content hash) in the order
 * added; inner nodes SHA-256(0x01 || left || right); a level with an odd
 * count carries its last node up unchanged. The 0x00/0x01 prefixes keep a
 * leaf from ever being read as a node. An empty tree's root is SHA-256("").
 * The builder keeps one hash per level (O(log n) memory), so a dataset of any
 * size is hashed in one streaming pass. Not thread-safe; one per build.
 */
#ifndef CONSENTRY_MERKLE_H
#define CONSENTRY_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>

#define CS_SHA256_LEN 32
#define CS_MERKLE_MAX_LEVELS 64

typedef struct {
  uint8_t level[CS_MERKLE_MAX_LEVELS][CS_SHA256_LEN]; /* pending node at each height */
  uint64_t n_leaves;                                  /* bit k set: level[k] is pending */
} cs_merkle_t;

void cs_merkle_init(cs_merkle_t *m);
void cs_merkle_add(cs_merkle_t *m, const char *record_id, size_t id_len,
                   const uint8_t content_hash[CS_SHA256_LEN]);
/* The root as 64 lowercase hex digits + NUL; m is left unchanged. */
void cs_merkle_root_hex(const cs_merkle_t *m, char out[65]);

/* SHA-256 of data as raw bytes, and lowercase hex of n bytes into out (2n+1). */
void cs_sha256(const void *data, size_t len, uint8_t out[CS_SHA256_LEN]);
void cs_hex(const uint8_t *bytes, size_t n, char *out);
/* SHA-256 of a file's contents, streamed, as 64 lowercase hex digits + NUL.
 * CS_EIO (with the path in diag, which may be NULL) if it cannot be read. */
CS_MUST_USE int cs_sha256_file(const char *path, char hex[65], cs_diag_t *diag);

#endif
