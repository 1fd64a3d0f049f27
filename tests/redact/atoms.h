/* atoms.h — random test texts for the redaction tests: pieces ("atoms") of
 * what a detector must handle, joined in a pseudo-random order. */
#ifndef CS_TESTS_REDACT_ATOMS_H
#define CS_TESTS_REDACT_ATOMS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Fills buf (cap bytes) with atoms drawn by the xorshift state *x until at
 * least want bytes, or until the next atom would not fit below cap (one byte
 * is always left, so the caller may terminate the text); returns the length. */
static inline size_t atoms_text(const char *const *atoms, size_t n_atoms, uint64_t *x,
                                size_t want, char *buf, size_t cap) {
  size_t len = 0;
  while (len < want) {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    const char *a = atoms[*x % n_atoms];
    size_t al = strlen(a);
    if (len + al >= cap) break;
    memcpy(buf + len, a, al);
    len += al;
  }
  return len;
}

#endif
