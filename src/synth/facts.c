/* facts.c — the ledger facts of the synthetic platform.
 *
 * Order: the policy first, then every member fact (in joining order), then
 * each member's later facts, then content deletions. So every member fact
 * precedes all facts about that member, as ingest requires; times within
 * the file are not sorted (the ledger orders by time, then ingest order).
 *
 * Rates, per member: ~5% move (half of them across the EU border, some of
 * those back again), ~15% turn genai_training off (a fifth of them on again
 * later), ~3% set it on explicitly, ~5% object to personalization or
 * moderation (~30% of those withdraw), ~1% close their account. ~1% of
 * content records are deleted by their (known) authors. ~10% of times carry
 * a UTC offset instead of Z, to exercise normalisation.
 */
#include "synth/synth_int.h"

#include <consentry/time.h>

#define CS__STREAM_FACTS 2
#define LINE_MAX 1024

typedef struct {
  cs__facts_t *f;
  cs__rng_t r;
  cs__text_t *scratch;
  uint64_t next_id; /* number of the next "f..." fact id */
} ctx_t;

static const int offsets[] = {120, 60, -240, 330, 480, -420};

static char *w_at(ctx_t *c, char *p, const char *key, int64_t t) {
  p = cs__w_str(p, key);
  *p++ = '"';
  p = cs__w_time(p, t, cs__rng_chance(&c->r, 100) ? CS__PICK(&c->r, offsets) : 0);
  *p++ = '"';
  return p;
}

/* Starts a line {"type":"T","id":"f..","member":"m.." for member i. */
static char *begin(ctx_t *c, const char *type, uint64_t i) {
  char *p = cs__out_reserve(c->f->out, LINE_MAX);
  p = cs__w_str(p, "{\"type\":\"");
  p = cs__w_str(p, type);
  p = cs__w_str(p, "\",\"id\":\"f");
  p = cs__w_pad(p, ++c->next_id, 7);
  p = cs__w_str(p, "\",\"member\":\"");
  p = cs__w_member_id(p, i);
  *p++ = '"';
  return p;
}

static void end(ctx_t *c, char *p) {
  p = cs__w_str(p, "}\n");
  cs__out_commit(c->f->out, p);
  c->f->facts++;
}

static void policy(ctx_t *c) {
  char *p = cs__out_reserve(c->f->out, LINE_MAX);
  p = cs__w_str(p, "{\"type\":\"policy\",\"version\":\"2024-01\",\"purposes\":"
                   "[\"genai_training\",\"personalization\",\"moderation\"],\"published_at\":\"");
  p = cs__w_time(p, CS__T_POLICY_PUB, 0);
  p = cs__w_str(p, "\",\"effective_at\":\"");
  p = cs__w_time(p, CS__T_POLICY_EFF, 0);
  *p++ = '"';
  end(c, p);
}

static char *w_text(char *p, const cs__text_t *t) { return cs__w_json(p, t->s, t->len); }

static void member(ctx_t *c, uint64_t i) {
  const cs__member_t *m = &c->f->people->m[i];
  cs__text_t *t = c->scratch;
  char *p = cs__out_reserve(c->f->out, LINE_MAX);
  p = cs__w_str(p, "{\"type\":\"member\",\"id\":\"");
  p = cs__w_member_id(p, i);
  p = cs__w_str(p, "\",\"name\":");
  t->len = 0;
  cs__tx_member_name(t, m);
  p = w_text(p, t);
  p = cs__w_str(p, ",\"handle\":");
  t->len = 0;
  cs__tx_member_handle(t, m, i);
  p = w_text(p, t);
  p = cs__w_str(p, ",\"email\":");
  t->len = 0;
  cs__tx_member_email(t, m, i);
  p = w_text(p, t);
  p = cs__w_str(p, ",\"country\":\"");
  p = cs__w_str(p, cs__countries[m->country].code);
  if (m->birth_days != CS_NO_DATE) {
    p = cs__w_str(p, "\",\"birth_date\":\"");
    p = cs__w_date(p, m->birth_days);
  }
  *p++ = '"';
  p = w_at(c, p, ",\"joined_at\":", m->joined);
  end(c, p);
}

static void location(ctx_t *c, uint64_t i, uint8_t country, int64_t at) {
  char *p = begin(c, "location", i);
  p = cs__w_str(p, ",\"country\":\"");
  p = cs__w_str(p, cs__countries[country].code);
  *p++ = '"';
  end(c, w_at(c, p, ",\"at\":", at));
}

static void setting(ctx_t *c, uint64_t i, bool value, int64_t at) {
  char *p = begin(c, "setting", i);
  p = cs__w_str(p, value ? ",\"setting\":\"genai_training\",\"value\":true"
                         : ",\"setting\":\"genai_training\",\"value\":false");
  end(c, w_at(c, p, ",\"at\":", at));
}

static void objection(ctx_t *c, uint64_t i, const char *purpose, bool withdrawn, int64_t at) {
  char *p = begin(c, "objection", i);
  p = cs__w_str(p, ",\"purpose\":\"");
  p = cs__w_str(p, purpose);
  *p++ = '"';
  p = w_at(c, p, ",\"at\":", at);
  if (withdrawn) p = cs__w_str(p, ",\"withdrawn\":true");
  end(c, p);
}

static void closed(ctx_t *c, uint64_t i, int64_t at) {
  end(c, w_at(c, begin(c, "account_closed", i), ",\"at\":", at));
}

/* A time after t, before the end of the content period (or at t + 1h when
 * there is no room left). */
static int64_t later(ctx_t *c, int64_t t) {
  int64_t lo = t + 3600, hi = CS__T_END;
  return hi > lo ? cs__rng_range(&c->r, lo, hi) : lo;
}

static void moves(ctx_t *c, uint64_t i) {
  const cs__people_t *pp = c->f->people;
  uint8_t home = pp->m[i].country;
  bool cross = cs__rng_chance(&c->r, 500);
  bool to_excluded = cross ? !cs__countries[home].excluded : cs__countries[home].excluded;
  uint8_t dest = cs__people_country(pp, &c->r, to_excluded);
  if (dest == home) return;
  int64_t t = later(c, pp->m[i].joined);
  location(c, i, dest, t);
  if (cs__rng_chance(&c->r, 400)) location(c, i, home, later(c, t));
}

static void member_events(ctx_t *c, uint64_t i) {
  int64_t joined = c->f->people->m[i].joined;
  if (cs__rng_chance(&c->r, 50)) moves(c, i);
  if (cs__rng_chance(&c->r, 150)) {
    int64_t t = later(c, joined);
    setting(c, i, false, t);
    if (cs__rng_chance(&c->r, 200)) setting(c, i, true, later(c, t));
  } else if (cs__rng_chance(&c->r, 35)) {
    setting(c, i, true, later(c, joined));
  }
  if (cs__rng_chance(&c->r, 50)) {
    const char *purpose = cs__rng_chance(&c->r, 600) ? "personalization" : "moderation";
    int64_t t = later(c, joined);
    objection(c, i, purpose, false, t);
    if (cs__rng_chance(&c->r, 300)) objection(c, i, purpose, true, later(c, t));
  }
  if (cs__rng_chance(&c->r, 10)) closed(c, i, later(c, joined));
}

/* One record in each block of 100 (at most one, so no id repeats), when its
 * author is a known member. */
static void deletions(ctx_t *c) {
  const cs__people_t *pp = c->f->people;
  for (uint64_t b = 0; b < c->f->n_records; b += 100) {
    uint64_t left = c->f->n_records - b;
    uint64_t i = b + cs__rng_below(&c->r, (uint32_t)(left < 100 ? left : 100));
    cs__head_t h;
    cs__record_head(pp, c->f->seed, i, &h, NULL);
    if (h.member >= pp->n) continue;
    char *p = cs__out_reserve(c->f->out, LINE_MAX);
    p = cs__w_str(p, "{\"type\":\"content_deleted\",\"id\":\"");
    p = cs__w_record_id(p, i);
    p = cs__w_str(p, "\",\"member\":\"");
    p = cs__w_member_id(p, h.member);
    *p++ = '"';
    int64_t at = h.created + cs__rng_range(&c->r, 60, 60 * 86400);
    end(c, w_at(c, p, ",\"at\":", at));
  }
}

int cs__facts_write(cs__facts_t *f, cs__text_t *scratch) {
  ctx_t c = {.f = f, .scratch = scratch};
  cs__rng_seed(&c.r, f->seed, CS__STREAM_FACTS);
  policy(&c);
  for (uint64_t i = 0; i < f->people->n; i++) member(&c, i);
  for (uint64_t i = 0; i < f->people->n; i++) member_events(&c, i);
  deletions(&c);
  return CS_OK;
}
