/* htab.c — open-addressing sets of 64-bit hashes with a small value.
 *
 * The name indexes store hashes, never strings: 1M members cost 9 bytes per
 * slot at most half full, and a lookup touches one or two cache lines. Key 0
 * marks an empty slot; callers never pass it (token hashes are forced odd).
 */
#include "redact/internal.h"

#include <stdlib.h>
#include <string.h>

static int grow(cs__hset_t *h) {
  size_t ncap = h->cap ? h->cap * 2 : 1024;
  uint64_t *nk = calloc(ncap, sizeof *nk);
  uint8_t *nv = calloc(ncap, 1);
  if (!nk || !nv) {
    free(nk);
    free(nv);
    return CS_ENOMEM;
  }
  for (size_t i = 0; i < h->cap; i++) {
    if (!h->keys[i]) continue;
    size_t j = (size_t)(h->keys[i] >> 7) & (ncap - 1);
    while (nk[j]) j = (j + 1) & (ncap - 1);
    nk[j] = h->keys[i];
    nv[j] = h->vals[i];
  }
  free(h->keys);
  free(h->vals);
  h->keys = nk;
  h->vals = nv;
  h->cap = ncap;
  return CS_OK;
}

int cs__hset_put(cs__hset_t *h, uint64_t key, uint8_t val) {
  if (!key) return CS_EINTERNAL;
  if ((h->n + 1) * 2 > h->cap) { /* at most half full: a miss probes ~2.5 slots, not ~8.5 */
    int rc = grow(h);
    if (rc < 0) return rc;
  }
  size_t j = (size_t)(key >> 7) & (h->cap - 1);
  while (h->keys[j] && h->keys[j] != key) j = (j + 1) & (h->cap - 1);
  if (!h->keys[j]) {
    h->keys[j] = key;
    h->n++;
  }
  h->vals[j] |= val;
  return CS_OK;
}

uint8_t cs__hset_get(const cs__hset_t *h, uint64_t key) {
  if (!h->cap) return 0;
  size_t j = (size_t)(key >> 7) & (h->cap - 1);
  while (h->keys[j]) {
    if (h->keys[j] == key) return h->vals[j];
    j = (j + 1) & (h->cap - 1);
  }
  return 0;
}

void cs__hset_free(cs__hset_t *h) {
  free(h->keys);
  free(h->vals);
  memset(h, 0, sizeof *h);
}

size_t cs__hset_bytes(const cs__hset_t *h) { return h->cap * (sizeof(uint64_t) + 1); }
