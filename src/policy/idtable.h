/* idtable.h — an arena and an id -> index hash table for snapshots (internal).
 *
 * The snapshot holds a million or more member ids and deleted record ids.
 * Per-id mallocs would dominate its build time and memory, so ids are copied
 * into big arena blocks and indexed by an open-addressing table (linear
 * probing, load <= 1/2) of 64-bit slots: the high 32 bits of the id's XXH3
 * hash as a tag, the low 32 bits the entry index + 1 (0 marks an empty slot).
 * A lookup touches one slot and, on a tag match, the entry and the id.
 *
 * Entries are numbered 0, 1, ... in insertion order, so callers can keep
 * parallel arrays (the snapshot's member states). At most UINT32_MAX - 1
 * entries. Not thread-safe while being built; lookups are read-only.
 */
#ifndef CS_POLICY_IDTABLE_H
#define CS_POLICY_IDTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>

typedef struct cs__arena_block cs__arena_block_t;

typedef struct {
  cs__arena_block_t *head; /* the block being filled; older blocks follow */
} cs__arena_t;

/* n bytes aligned to align (a power of two, <= 16); NULL when out of memory. */
void *cs__arena_alloc(cs__arena_t *a, size_t n, size_t align);
void cs__arena_free(cs__arena_t *a);

#define CS__ID_INLINE 24 /* ids up to this long live inside their entry */

/* An entry is 32 bytes and holds short ids itself, so a probe costs one
 * cache miss for the slot and one for the entry, none for the id. */
typedef struct {
  uint32_t len;
  union {
    char small[CS__ID_INLINE]; /* len <= CS__ID_INLINE: the id (not NUL-terminated) */
    const char *big;           /* longer: the id, NUL-terminated, in the arena */
  } k;
} cs__identry_t;

static inline const char *cs__identry_key(const cs__identry_t *e) {
  return e->len <= CS__ID_INLINE ? e->k.small : e->k.big;
}

typedef struct {
  uint64_t *slots;         /* tag << 32 | (index + 1); 0: empty */
  size_t mask;             /* number of slots - 1 (a power of two), or 0 before the first add */
  cs__identry_t *entries;  /* entries[i]: entry i's id */
  size_t n, cap;           /* entries in use / allocated */
  cs__arena_t arena;
} cs__idtab_t;

/* Adds id (copied) unless present. *out_index: the entry's index, new or old;
 * *out_added: whether it was new. On error nothing changes. */
CS_MUST_USE int cs__idtab_add(cs__idtab_t *t, const char *id, size_t len, uint32_t *out_index,
                              bool *out_added);

/* The entry index of id, or -1 when absent. */
int64_t cs__idtab_find(const cs__idtab_t *t, const char *id, size_t len);

/* Batched lookup in three passes (hash and prefetch the slots; read the slots
 * and prefetch the entries; compare), so the cache misses of n lookups
 * overlap instead of queueing. out[i] as cs__idtab_find would give. */
void cs__idtab_find_many(const cs__idtab_t *t, const char *const *ids, const size_t *lens,
                         size_t n, int64_t *out);

void cs__idtab_free(cs__idtab_t *t);

#endif
