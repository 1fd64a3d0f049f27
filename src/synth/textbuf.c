/* textbuf.c — the per-record text buffer and its labels.
 *
 * Generators append bytes and label what they just appended; offsets are
 * bytes while the text grows and become Unicode code points (what Python's
 * str indices and Presidio count) once the text is complete.
 */
#include "synth/synth_int.h"

#include <string.h>

void cs__tx_put(cs__text_t *t, const char *s, size_t n) {
  size_t room = CS__TEXT_CAP - t->len;
  if (n > room) n = room;
  memcpy(t->s + t->len, s, n);
  t->len += n;
}

void cs__tx_str(cs__text_t *t, const char *s) { cs__tx_put(t, s, strlen(s)); }

void cs__tx_u64(cs__text_t *t, uint64_t v) {
  char tmp[24];
  cs__tx_put(t, tmp, (size_t)(cs__w_u64(tmp, v) - tmp));
}

void cs__tx_pad(cs__text_t *t, uint64_t v, unsigned width) {
  char tmp[48];
  if (width > 24) width = 24;
  cs__tx_put(t, tmp, (size_t)(cs__w_pad(tmp, v, width) - tmp));
}

void cs__tx_label(cs__text_t *t, cs_label_t type, size_t start) {
  bool pii = type < CS_SYNTH_N_PII;
  cs__span_t *list = pii ? t->pii : t->look;
  size_t *n = pii ? &t->n_pii : &t->n_look;
  if (*n >= CS__MAX_SPANS || start >= t->len) return;
  list[*n] = (cs__span_t){(uint8_t)type, (uint32_t)start, (uint32_t)t->len};
  (*n)++;
}

/* Spans of one list are appended left to right, so one forward walk over the
 * text maps every boundary. */
static void map_spans(const char *s, size_t len, cs__span_t *sp, size_t n) {
  size_t byte = 0, cp = 0;
  for (size_t k = 0; k < 2 * n; k++) {
    uint32_t *edge = (k & 1) ? &sp[k / 2].end : &sp[k / 2].start;
    size_t target = *edge < len ? *edge : len;
    for (; byte < target; byte++) cp += ((unsigned char)s[byte] & 0xC0) != 0x80;
    *edge = (uint32_t)cp;
  }
}

void cs__tx_to_code_points(cs__text_t *t) {
  map_spans(t->s, t->len, t->pii, t->n_pii);
  map_spans(t->s, t->len, t->look, t->n_look);
}
