/* htab.c — open-addressing sets of 64-bit hashes with a small value.
 *
 * The name indexes store hashes, never strings: 1M members cost 8 bytes per
 * slot at most half full. A slot packs the key's upper 55 bits (bit 8 forced
 * on, so a used slot is never 0) with the 8-bit value, so a lookup touches
 * one cache line, not one for the key and one for the value; keys that
 * differ only in their low 9 bits count as one (a 2^-55 chance per pair).
 */
#include "redact/internal.h"

#include <stdlib.h>
#include <string.h>

/* The key part of a slot, and its home slot (shared with cs__hset_get,
 * inline in internal.h). */
static inline uint64_t key_part(uint64_t key) { return cs__hset_key_part(key); }

static inline size_t home(uint64_t kp, size_t cap) { return cs__hset_home(kp, cap); }

static int grow(cs__hset_t *h) {
  size_t ncap = h->cap ? h->cap * 2 : 1024;
  uint64_t *ns = calloc(ncap, sizeof *ns);
  if (!ns) return CS_ENOMEM;
  for (size_t i = 0; i < h->cap; i++) {
    if (!h->slots[i]) continue;
    size_t j = home(h->slots[i], ncap);
    while (ns[j]) j = (j + 1) & (ncap - 1);
    ns[j] = h->slots[i];
  }
  free(h->slots);
  h->slots = ns;
  h->cap = ncap;
  return CS_OK;
}

int cs__hset_put(cs__hset_t *h, uint64_t key, uint8_t val) {
  if (!key) return CS_EINTERNAL;
  if ((h->n + 1) * 2 > h->cap) { /* at most half full: a miss probes ~2.5 slots, not ~8.5 */
    int rc = grow(h);
    if (rc < 0) return rc;
  }
  uint64_t kp = key_part(key);
  size_t j = home(kp, h->cap);
  while (h->slots[j] && (h->slots[j] & ~(uint64_t)0xFF) != kp) j = (j + 1) & (h->cap - 1);
  if (!h->slots[j]) {
    h->slots[j] = kp;
    h->n++;
  }
  h->slots[j] |= val;
  return CS_OK;
}

void cs__hset_free(cs__hset_t *h) {
  free(h->slots);
  memset(h, 0, sizeof *h);
}

size_t cs__hset_bytes(const cs__hset_t *h) { return h->cap * sizeof(uint64_t); }
