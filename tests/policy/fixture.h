/* fixture.h — a small world of facts for the policy specifications.
 *
 * A world is one member's facts plus the config; `decide` folds them as of T
 * and asks cs_eligibility_decide about one record, returning the reason's
 * name so that a failed CHECK_STR shows both reasons in words. Times are
 * RFC 3339 strings; seq is the fact's ingest order (1, 2, ... by default).
 */
#ifndef CS_TESTS_POLICY_FIXTURE_H
#define CS_TESTS_POLICY_FIXTURE_H

#include <consentry/policy.h>

#include <string.h>

#include "check.h"

#define WORLD_MAX 64

typedef struct {
  cs_config_t *cfg;
  cs_fact_t facts[WORLD_MAX];
  size_t n;
  cs_country_at_t buf[WORLD_MAX];
  cs_member_state_t state;
  bool deleted; /* the record asked about is deleted */
} world_t;

static inline cs_time_t ts(const char *s) {
  cs_time_t v = 0;
  CHECK_INT(cs_time_parse(s, strlen(s), &v), CS_OK);
  return v;
}

static inline cs_country_t cc(const char *s) {
  cs_country_t c = CS_COUNTRY_NONE;
  if (s) CHECK_INT(cs_country_parse(s, strlen(s), &c), CS_OK);
  return c;
}

static inline int32_t day(const char *s) {
  int32_t d = CS_NO_DATE;
  if (s) CHECK_INT(cs_date_parse(s, strlen(s), &d), CS_OK);
  return d;
}

static inline void world_init(world_t *w) {
  memset(w, 0, sizeof *w);
  CHECK_INT(cs_config_default(&w->cfg), CS_OK);
}

static inline void world_free(world_t *w) { cs_config_free(w->cfg); }

static inline cs_fact_t *push(world_t *w, cs_fact_type_t type, const char *at) {
  cs_fact_t *f = &w->facts[w->n++];
  memset(f, 0, sizeof *f);
  f->type = type;
  f->seq = (int64_t)w->n;
  f->member = "m1";
  f->at = ts(at);
  return f;
}

/* The member joins at `joined` in `country` (NULL: none), born `birth` (NULL: unknown). */
static inline cs_fact_t *joins(world_t *w, const char *country, const char *joined, const char *birth) {
  cs_fact_t *f = push(w, CS_FACT_MEMBER, joined);
  f->u.member.name = "Ada";
  f->u.member.handle = "ada";
  f->u.member.email = "ada@example.org";
  f->u.member.country = cc(country);
  f->u.member.birth_days = day(birth);
  return f;
}

static inline cs_fact_t *moves(world_t *w, const char *country, const char *at) {
  cs_fact_t *f = push(w, CS_FACT_LOCATION, at);
  f->u.location.country = cc(country);
  return f;
}

static inline cs_fact_t *sets(world_t *w, const char *setting, bool value, const char *at) {
  cs_fact_t *f = push(w, CS_FACT_SETTING, at);
  f->u.setting.setting = setting;
  f->u.setting.value = value;
  return f;
}

static inline cs_fact_t *objects(world_t *w, const char *purpose, bool withdrawn, const char *at) {
  cs_fact_t *f = push(w, CS_FACT_OBJECTION, at);
  f->u.objection.purpose = purpose;
  f->u.objection.withdrawn = withdrawn;
  return f;
}

static inline cs_fact_t *closes(world_t *w, const char *at) { return push(w, CS_FACT_ACCOUNT_CLOSED, at); }

static inline const cs_member_state_t *fold(world_t *w, const char *as_of) {
  cs_member_state_fold(w->facts, w->n, ts(as_of), w->cfg, w->buf, &w->state);
  return &w->state;
}

static inline size_t purpose(const world_t *w, const char *name) {
  size_t p = 0;
  CHECK_INT(cs_config_purpose(w->cfg, name, &p), CS_OK);
  return p;
}

/* The reason for a record of `kind`/`vis` written at `created`, built at `as_of`. */
static inline const char *decide_full(world_t *w, const char *purpose_name, const char *created,
                               cs_kind_t kind, cs_visibility_t vis, const char *as_of) {
  const cs_member_state_t *m = w->n ? fold(w, as_of) : NULL;
  cs_record_facts_t r = {ts(created), kind, vis, w->deleted};
  return cs_reason_name(cs_eligibility_decide(m, &r, w->cfg, purpose(w, purpose_name), ts(as_of)));
}

/* A public post: the record every purpose accepts by kind and visibility. */
static inline const char *decide(world_t *w, const char *purpose_name, const char *created,
                          const char *as_of) {
  return decide_full(w, purpose_name, created, CS_KIND_POST, CS_VIS_PUBLIC, as_of);
}

#endif
