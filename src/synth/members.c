/* members.c — the member model.
 *
 * Every member is a few table indices and numbers (24 bytes), drawn once from
 * the seed; names, handles and e-mail addresses are spelled on demand. Member
 * ids follow joining order: m0000001 joined first. Handles and e-mail local
 * parts end in the member's number, so they are unique without a lookup.
 */
#include "synth/synth_int.h"

#include <stdlib.h>

#include <consentry/time.h>

#define CS__STREAM_PEOPLE 1

static uint32_t fill_picks(uint32_t *out, bool excluded) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < cs__n_countries; i++)
    if (cs__countries[i].excluded == excluded)
      for (uint32_t w = 0; w < cs__countries[i].weight && n < 256; w++) out[n++] = i;
  return n;
}

uint8_t cs__people_country(const cs__people_t *p, cs__rng_t *r, bool excluded) {
  const uint32_t *pick = excluded ? p->pick_excluded : p->pick_other;
  uint32_t n = excluded ? p->n_pick_excluded : p->n_pick_other;
  return (uint8_t)pick[cs__rng_below(r, n)];
}

/* Adults are 18..69 at the start of the content period; about 3% are minors
 * born 2008..2010 (13..17 while content is written); 10% give no date. */
static void draw_birth(cs__member_t *m, cs__rng_t *r) {
  int32_t content_day = (int32_t)(CS__T_CONTENT / 86400);
  if (cs__rng_chance(r, 100)) {
    m->birth_days = CS_NO_DATE;
  } else if (cs__rng_chance(r, 33)) {
    m->flags |= CS__M_MINOR;
    m->birth_days = cs_days_from_civil(2008, 1, 1) + (int32_t)cs__rng_below(r, 3 * 365);
  } else {
    m->birth_days = content_day - 18 * 366 - (int32_t)cs__rng_below(r, 51 * 365);
  }
}

static void draw_member(const cs__people_t *p, cs__member_t *m, cs__rng_t *r, uint64_t i) {
  m->first = cs__rng_below(r, cs__n_first_names);
  m->last = cs__rng_below(r, cs__n_last_names);
  m->style = (uint8_t)cs__rng_below(r, 4);
  m->domain = (uint8_t)cs__rng_below(r, cs__n_mail_domains);
  m->country = cs__people_country(p, r, cs__rng_chance(r, 400));
  m->flags = 0;
  draw_birth(m, r);
  /* Joining times rise with the id; the span ends before the content
   * period's end so that every member can still write something. */
  int64_t span = (CS__T_END - 90 * 86400) - CS__T_PLATFORM;
  int64_t slot = span / (int64_t)p->n;
  m->joined = CS__T_PLATFORM + (int64_t)i * slot + cs__rng_range(r, 0, slot > 1 ? slot - 1 : 0);
}

int cs__people_init(cs__people_t *p, uint64_t n, uint64_t seed) {
  p->n = n;
  p->n_pick_excluded = fill_picks(p->pick_excluded, true);
  p->n_pick_other = fill_picks(p->pick_other, false);
  p->m = calloc(n ? n : 1, sizeof *p->m);
  if (!p->m) return CS_ENOMEM;
  cs__rng_t r;
  cs__rng_seed(&r, seed, CS__STREAM_PEOPLE);
  for (uint64_t i = 0; i < n; i++) draw_member(p, &p->m[i], &r, i);
  return CS_OK;
}

void cs__people_free(cs__people_t *p) {
  if (!p) return;
  free(p->m);
  p->m = NULL;
}

void cs__tx_member_name(cs__text_t *t, const cs__member_t *m) {
  cs__tx_str(t, cs__first_names[m->first].s);
  cs__tx_put(t, " ", 1);
  cs__tx_str(t, cs__last_names[m->last].s);
}

/* style 0: maria.mueller42, 1: mariamueller42, 2: mmueller42, 3: maria_m42. */
static void local_part(cs__text_t *t, const cs__member_t *m, uint64_t i, char sep) {
  const cs__name_t *f = &cs__first_names[m->first], *l = &cs__last_names[m->last];
  if (m->style == 2) {
    const char *a = f->ascii ? f->ascii : f->s;
    char c = (char)(a[0] >= 'A' && a[0] <= 'Z' ? a[0] + 32 : a[0]);
    cs__tx_put(t, &c, 1);
  } else {
    cs__tx_ascii(t, f);
  }
  if (m->style == 0) cs__tx_put(t, &sep, 1);
  if (m->style == 3) {
    cs__tx_put(t, "_", 1);
    const char *a = l->ascii ? l->ascii : l->s;
    char c = (char)(a[0] >= 'A' && a[0] <= 'Z' ? a[0] + 32 : a[0]);
    cs__tx_put(t, &c, 1);
  } else {
    cs__tx_ascii(t, l);
  }
  cs__tx_u64(t, i + 1);
}

void cs__tx_member_handle(cs__text_t *t, const cs__member_t *m, uint64_t i) {
  local_part(t, m, i, '.');
}

void cs__tx_member_email(cs__text_t *t, const cs__member_t *m, uint64_t i) {
  local_part(t, m, i, '.');
  cs__tx_put(t, "@", 1);
  cs__tx_str(t, cs__mail_domains[m->domain]);
}

char *cs__w_member_id(char *p, uint64_t i) {
  *p++ = 'm';
  return cs__w_pad(p, i + 1, 7);
}
