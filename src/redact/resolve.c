/* resolve.c — one type per byte: overlap resolution and match lists.
 *
 * Detectors run independently and may claim overlapping spans (a name inside
 * an e-mail address, a person's name inside a multi-line address). Matches
 * are sorted by start; sweeping left to right, a match overlapping the last
 * kept one is merged into it: the merged span covers both, so no byte either
 * detector claimed is ever left in clear, and takes the better type: a
 * validated structured type (EMAIL .. PHONE) beats a heuristic one (PERSON,
 * ADDRESS); between two structured types the earlier enum value wins, and
 * between heuristic ones the longer span. Spans are first widened to whole
 * valid UTF-8 characters, a guard for the invariant that replacement never
 * splits a character (stray continuation bytes count as characters).
 */
#include "redact/internal.h"

#include <stdlib.h>
#include <string.h>

int cs__mvec_push(cs__mvec_t *m, cs_pii_type_t t, size_t start, size_t end) {
  if (end <= start) return CS_OK;
  if (m->n == m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 64;
    cs_pii_match_t *nv = realloc(m->v, nc * sizeof *nv);
    if (!nv) return CS_ENOMEM;
    m->v = nv;
    m->cap = nc;
  }
  m->v[m->n++] = (cs_pii_match_t){t, start, end};
  return CS_OK;
}

static int by_start(const void *a, const void *b) {
  const cs_pii_match_t *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->type != y->type) return x->type < y->type ? -1 : 1;
  return (x->end < y->end) - (x->end > y->end);
}

static bool structured(cs_pii_type_t t) { return t < CS_PII_PERSON; }

static bool better(const cs_pii_match_t *a, const cs_pii_match_t *b) {
  /* house numbers and postcodes look like phone numbers: the longer wins */
  if ((a->type == CS_PII_PHONE && b->type == CS_PII_ADDRESS) ||
      (a->type == CS_PII_ADDRESS && b->type == CS_PII_PHONE))
    return a->end - a->start > b->end - b->start;
  if (structured(a->type) != structured(b->type)) return structured(a->type);
  if (structured(a->type) && a->type != b->type) return a->type < b->type;
  return a->end - a->start > b->end - b->start;
}

/* Start of the valid UTF-8 character containing byte i, or i. Invalid
 * bytes (a stray continuation byte) stand alone. */
static size_t char_start(const char *text, size_t len, size_t i) {
  for (size_t back = 1; back <= 3 && back <= i; back++) {
    unsigned char c = (unsigned char)text[i - back];
    if ((c & 0xC0) == 0x80) continue;
    uint32_t cp;
    size_t k = cs__utf8_decode((const unsigned char *)text + i - back, len - (i - back), &cp);
    return k > back ? i - back : i;
  }
  return i;
}

static void widen(cs_pii_match_t *x, const char *text, size_t len) {
  x->start = char_start(text, len, x->start);
  if (x->end < len) {
    size_t cs = char_start(text, len, x->end);
    if (cs < x->end) {
      uint32_t cp;
      x->end = cs + cs__utf8_decode((const unsigned char *)text + cs, len - cs, &cp);
    }
  }
}

void cs__resolve(cs__mvec_t *m, const char *text, size_t len) {
  if (m->n == 0) return;
  /* widen first, so that the merge below sees final extents */
  for (size_t i = 0; i < m->n; i++) widen(&m->v[i], text, len);
  cs__sort_few(m->v, m->n, sizeof *m->v, by_start);
  size_t k = 0;
  for (size_t i = 1; i < m->n; i++) {
    cs_pii_match_t *last = &m->v[k], *cur = &m->v[i];
    if (cur->start >= last->end) {
      m->v[++k] = *cur;
    } else {
      /* cur starts inside last, so the merge cannot reach the one before */
      if (better(cur, last)) last->type = cur->type;
      if (cur->end > last->end) last->end = cur->end;
    }
  }
  m->n = k + 1;
}
