/* idtable.c — arena blocks and the open-addressing id table (see idtable.h). */
#include "policy/idtable.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define BLOCK_SIZE ((size_t)4 << 20) /* 4 MiB: a million short ids in a few blocks */

struct cs__arena_block {
  cs__arena_block_t *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
};

void *cs__arena_alloc(cs__arena_t *a, size_t n, size_t align) {
  cs__arena_block_t *b = a->head;
  size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
  if (!b || at > b->cap || n > b->cap - at) {
    size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;
    if (cap > SIZE_MAX - sizeof *b) return NULL;
    b = malloc(sizeof *b + cap);
    if (!b) return NULL;
    b->next = a->head;
    b->used = 0;
    b->cap = cap;
    a->head = b;
    at = 0;
  }
  b->used = at + n;
  return b->data + at;
}

void cs__arena_free(cs__arena_t *a) {
  while (a->head) {
    cs__arena_block_t *next = a->head->next;
    free(a->head);
    a->head = next;
  }
}

static uint64_t hash_id(const char *id, size_t len) { return XXH3_64bits(id, len); }

/* Places entry index (hash h) into slots, which has room. */
static void place(uint64_t *slots, size_t mask, uint64_t h, uint32_t index) {
  size_t i = (size_t)h & mask;
  while (slots[i]) i = (i + 1) & mask;
  slots[i] = (h & 0xFFFFFFFF00000000u) | ((uint64_t)index + 1);
}

/* Doubles the slot array (or creates it) and re-places every entry. */
static int grow_slots(cs__idtab_t *t) {
  size_t n_slots = t->mask ? (t->mask + 1) * 2 : 1024;
  uint64_t *slots = calloc(n_slots, sizeof *slots);
  if (!slots) return CS_ENOMEM;
  for (size_t i = 0; i < t->n; i++)
    place(slots, n_slots - 1, hash_id(cs__identry_key(&t->entries[i]), t->entries[i].len),
          (uint32_t)i);
  free(t->slots);
  t->slots = slots;
  t->mask = n_slots - 1;
  return CS_OK;
}

static int grow_entries(cs__idtab_t *t) {
  size_t cap = t->cap ? t->cap * 2 : 1024;
  if (cap >= UINT32_MAX) return CS_ERANGE;
  cs__identry_t *entries = realloc(t->entries, cap * sizeof *entries);
  if (!entries) return CS_ENOMEM;
  t->entries = entries;
  t->cap = cap;
  return CS_OK;
}

static int64_t find_hashed(const cs__idtab_t *t, const char *id, size_t len, uint64_t h) {
  if (!t->mask) return -1;
  uint64_t tag = h & 0xFFFFFFFF00000000u;
  for (size_t i = (size_t)h & t->mask; t->slots[i]; i = (i + 1) & t->mask) {
    if ((t->slots[i] & 0xFFFFFFFF00000000u) != tag) continue;
    uint32_t e = (uint32_t)(t->slots[i] & 0xFFFFFFFFu) - 1;
    if (t->entries[e].len == len && memcmp(cs__identry_key(&t->entries[e]), id, len) == 0)
      return e;
  }
  return -1;
}

/* The first entry whose tag matches h, or -1; a miss on the tag is final
 * for the common case (no collision), which find_hashed then confirms. */
static int64_t first_candidate(const cs__idtab_t *t, uint64_t h) {
  uint64_t tag = h & 0xFFFFFFFF00000000u;
  for (size_t i = (size_t)h & t->mask; t->slots[i]; i = (i + 1) & t->mask)
    if ((t->slots[i] & 0xFFFFFFFF00000000u) == tag) return (uint32_t)(t->slots[i] & 0xFFFFFFFFu) - 1;
  return -1;
}

#define CS__FIND_BATCH 64

void cs__idtab_find_many(const cs__idtab_t *t, const char *const *ids, const size_t *lens,
                         size_t n, int64_t *out) {
  uint64_t h[CS__FIND_BATCH];
  for (size_t base = 0; base < n; base += CS__FIND_BATCH) {
    size_t m = n - base < CS__FIND_BATCH ? n - base : CS__FIND_BATCH;
    if (!t->mask) {
      for (size_t i = 0; i < m; i++) out[base + i] = -1;
      continue;
    }
    for (size_t i = 0; i < m; i++) {
      h[i] = hash_id(ids[base + i], lens[base + i]);
      __builtin_prefetch(&t->slots[(size_t)h[i] & t->mask]);
    }
    for (size_t i = 0; i < m; i++) {
      int64_t e = first_candidate(t, h[i]);
      if (e >= 0) __builtin_prefetch(&t->entries[e]);
      out[base + i] = e;
    }
    for (size_t i = 0; i < m; i++)
      if (out[base + i] >= 0) out[base + i] = find_hashed(t, ids[base + i], lens[base + i], h[i]);
  }
}

int64_t cs__idtab_find(const cs__idtab_t *t, const char *id, size_t len) {
  return find_hashed(t, id, len, hash_id(id, len));
}

int cs__idtab_add(cs__idtab_t *t, const char *id, size_t len, uint32_t *out_index,
                  bool *out_added) {
  uint64_t h = hash_id(id, len);
  int64_t e = find_hashed(t, id, len, h);
  if (e >= 0) {
    *out_index = (uint32_t)e;
    *out_added = false;
    return CS_OK;
  }
  int rc = CS_OK;
  if ((t->n + 1) * 2 > t->mask + 1) rc = grow_slots(t);
  if (rc == CS_OK && t->n == t->cap) rc = grow_entries(t);
  if (rc != CS_OK) return rc;
  if (len > UINT32_MAX) return CS_ERANGE;
  cs__identry_t *entry = &t->entries[t->n];
  if (len <= CS__ID_INLINE) {
    memcpy(entry->k.small, id, len);
  } else {
    char *copy = cs__arena_alloc(&t->arena, len + 1, 1);
    if (!copy) return CS_ENOMEM;
    memcpy(copy, id, len);
    copy[len] = '\0';
    entry->k.big = copy;
  }
  entry->len = (uint32_t)len;
  place(t->slots, t->mask, h, (uint32_t)t->n);
  *out_index = (uint32_t)t->n++;
  *out_added = true;
  return CS_OK;
}

void cs__idtab_free(cs__idtab_t *t) {
  free(t->slots);
  free(t->entries);
  cs__arena_free(&t->arena);
  memset(t, 0, sizeof *t);
}
