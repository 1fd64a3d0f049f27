/* eligibility.c — the privacy rules of DESIGN.md, as pure functions.
 *
 * This file is the one place the rules live. cs_member_state_fold turns a
 * member's facts into their state as of T; cs_eligibility_decide applies the
 * rules to one record in DESIGN.md's order and reports the first that fails.
 * The snapshot (snapshot.c) folds through cs_member_state_fold too, so the
 * gate and `consent show` can never disagree.
 *
 * Ordering invariant: facts count when at <= T; among facts of one kind the
 * one with the greatest (at, seq) is in force, so facts with equal times
 * apply in ingest order and the later-ingested one wins.
 */
#include <consentry/policy.h>

#include <stdlib.h>
#include <string.h>

/* (a_at, a_seq) after (b_at, b_seq)? */
static bool later(cs_time_t a_at, int64_t a_seq, cs_time_t b_at, int64_t b_seq) {
  return a_at > b_at || (a_at == b_at && a_seq > b_seq);
}

static int country_cmp(const void *a, const void *b) {
  const cs_country_at_t *x = a, *y = b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts the member's countries by (at, seq); input usually arrives sorted. */
static void sort_countries(cs_country_at_t *c, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (country_cmp(&c[i - 1], &c[i]) > 0) {
      qsort(c, n, sizeof *c, country_cmp);
      return;
    }
}

/* The (at, seq) of the fact currently in force for each setting / purpose. */
typedef struct {
  cs_time_t setting_at[CS_MAX_SETTINGS], objection_at[CS_MAX_PURPOSES];
  int64_t setting_seq[CS_MAX_SETTINGS], objection_seq[CS_MAX_PURPOSES];
  uint32_t have_objection; /* bit p: an objection fact for purpose p was seen */
  bool have_member;
  int64_t member_seq;
} fold_t;

static void fold_member(fold_t *fs, const cs_fact_t *f, cs_member_state_t *out) {
  if (fs->have_member && !later(out->joined_at, fs->member_seq, f->at, f->seq)) return;
  /* One member fact per id is the store's invariant; if several reach us the
   * earliest (at, seq) wins, as re-ingesting a known id is a no-op. */
  fs->have_member = true;
  fs->member_seq = f->seq;
  out->joined_at = f->at;
  out->birth_days = f->u.member.birth_days;
}

static void fold_setting(fold_t *fs, const cs_fact_t *f, const cs_config_t *cfg,
                         cs_member_state_t *out) {
  size_t s;
  if (cs_config_setting(cfg, f->u.setting.setting, &s) != CS_OK) return;
  if (out->setting[s] >= 0 && !later(f->at, f->seq, fs->setting_at[s], fs->setting_seq[s])) return;
  fs->setting_at[s] = f->at;
  fs->setting_seq[s] = f->seq;
  out->setting[s] = f->u.setting.value ? 1 : 0;
}

static void fold_objection(fold_t *fs, const cs_fact_t *f, const cs_config_t *cfg,
                           cs_member_state_t *out) {
  size_t p;
  if (cs_config_purpose(cfg, f->u.objection.purpose, &p) != CS_OK) return;
  uint32_t bit = 1u << p;
  if ((fs->have_objection & bit) &&
      !later(f->at, f->seq, fs->objection_at[p], fs->objection_seq[p]))
    return;
  fs->have_objection |= bit;
  fs->objection_at[p] = f->at;
  fs->objection_seq[p] = f->seq;
  out->objected = f->u.objection.withdrawn ? (out->objected & ~bit) : (out->objected | bit);
}

static void fold_init(fold_t *fs, cs_member_state_t *out, cs_country_at_t *buf) {
  memset(out, 0, sizeof *out);
  out->joined_at = CS_TIME_NEVER;
  out->closed_at = CS_TIME_NEVER;
  out->birth_days = CS_NO_DATE;
  out->countries = buf;
  memset(out->setting, -1, sizeof out->setting);
  memset(fs, 0, sizeof *fs);
}

static void push_country(cs_member_state_t *out, cs_country_at_t *buf, const cs_fact_t *f,
                         cs_country_t c) {
  buf[out->n_countries++] = (cs_country_at_t){.at = f->at, .seq = f->seq, .country = c};
}

void cs_member_state_fold(const cs_fact_t *facts, size_t n, cs_time_t T, const cs_config_t *cfg,
                          cs_country_at_t *countries_buf, cs_member_state_t *out) {
  fold_t fs;
  fold_init(&fs, out, countries_buf);
  for (size_t i = 0; i < n; i++) {
    const cs_fact_t *f = &facts[i];
    if (f->at > T) continue;
    switch (f->type) {
    case CS_FACT_MEMBER:
      fold_member(&fs, f, out);
      push_country(out, countries_buf, f, f->u.member.country);
      break;
    case CS_FACT_LOCATION: push_country(out, countries_buf, f, f->u.location.country); break;
    case CS_FACT_SETTING: fold_setting(&fs, f, cfg, out); break;
    case CS_FACT_OBJECTION: fold_objection(&fs, f, cfg, out); break;
    case CS_FACT_ACCOUNT_CLOSED:
      if (f->at < out->closed_at) out->closed_at = f->at;
      break;
    default: break; /* policy and deletion facts are not about the member's state */
    }
  }
  sort_countries(countries_buf, out->n_countries);
  out->known = fs.have_member;
}

cs_country_t cs_member_country_at(const cs_member_state_t *m, cs_time_t t) {
  /* Binary search for the last entry with at <= t. */
  size_t lo = 0, hi = m ? m->n_countries : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->countries[mid].at <= t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo ? m->countries[lo - 1].country : CS_COUNTRY_NONE;
}

/* ---- The rules, grouped so that decide and member share them ------------ */

static cs_reason_t check_presence(const cs_member_state_t *m, cs_time_t T) {
  if (!m || !m->known || m->joined_at > T) return CS_REASON_UNKNOWN_MEMBER;
  if (m->closed_at <= T) return CS_REASON_ACCOUNT_CLOSED;
  return CS_REASON_INCLUDED;
}

static cs_reason_t check_jurisdiction(const cs_member_state_t *m, const cs_config_t *cfg,
                                      size_t p, cs_time_t T) {
  cs_country_t c = cs_member_country_at(m, T);
  return cs_config_rule(cfg, p, c) == CS_RULE_EXCLUDED ? CS_REASON_JURISDICTION
                                                       : CS_REASON_INCLUDED;
}

/* OPTED_OUT, NOT_OPTED_IN, OBJECTED: the member's own choices at T. */
static cs_reason_t check_choices(const cs_member_state_t *m, const cs_config_t *cfg, size_t p,
                                 cs_time_t T) {
  const cs_purpose_t *pp = &cfg->purposes[p];
  cs_rule_t rule = cs_config_rule(cfg, p, cs_member_country_at(m, T));
  int value = -1; /* never set, or the purpose has no setting */
  if (pp->setting >= 0 && pp->setting < CS_MAX_SETTINGS) value = m->setting[pp->setting];
  if (rule == CS_RULE_OPT_OUT && value == 0) return CS_REASON_OPTED_OUT;
  if (rule == CS_RULE_OPT_IN && value != 1) return CS_REASON_NOT_OPTED_IN;
  if (m->objected & (1u << p)) return CS_REASON_OBJECTED;
  return CS_REASON_INCLUDED;
}

static bool is_minor_at(const cs_member_state_t *m, cs_time_t t) {
  if (m->birth_days == CS_NO_DATE) return false; /* no birth date: adult */
  return cs_time_day(t) < cs_date_add_years(m->birth_days, 18);
}

cs_reason_t cs_eligibility_member(const cs_member_state_t *m, const cs_config_t *cfg, size_t p,
                                  cs_time_t T) {
  cs_reason_t r = check_presence(m, T);
  /* A purpose the config does not have allows nothing; callers resolve
   * names with cs_config_purpose first, so this is only a safety net. */
  if (r == CS_REASON_INCLUDED && p >= cfg->n_purposes) r = CS_REASON_JURISDICTION;
  if (r == CS_REASON_INCLUDED) r = check_jurisdiction(m, cfg, p, T);
  if (r == CS_REASON_INCLUDED) r = check_choices(m, cfg, p, T);
  return r;
}

/* KIND, VISIBILITY: what the purpose may use at all. */
static cs_reason_t check_record(const cs_record_facts_t *r, const cs_config_t *cfg, size_t p) {
  if (p >= cfg->n_purposes) return CS_REASON_KIND; /* see cs_eligibility_member */
  const cs_purpose_t *pp = &cfg->purposes[p];
  if ((unsigned)r->kind >= CS_N_KINDS || !(pp->kinds & (1u << r->kind))) return CS_REASON_KIND;
  if ((unsigned)r->visibility >= CS_N_VIS || !(pp->visibilities & (1u << r->visibility)))
    return CS_REASON_VISIBILITY;
  return CS_REASON_INCLUDED;
}

cs_reason_t cs_eligibility_decide(const cs_member_state_t *m, const cs_record_facts_t *r,
                                  const cs_config_t *cfg, size_t p, cs_time_t T) {
  if (r->created_at > T) return CS_REASON_FUTURE_RECORD;
  cs_reason_t why = check_presence(m, T);
  if (why != CS_REASON_INCLUDED) return why;
  if (r->deleted) return CS_REASON_DELETED;
  if ((why = check_record(r, cfg, p)) != CS_REASON_INCLUDED) return why;
  if ((why = check_jurisdiction(m, cfg, p, T)) != CS_REASON_INCLUDED) return why;
  if (cs_config_rule(cfg, p, cs_member_country_at(m, r->created_at)) == CS_RULE_EXCLUDED)
    return CS_REASON_JURISDICTION_AT_CREATION;
  if (is_minor_at(m, r->created_at)) return CS_REASON_MINOR;
  return check_choices(m, cfg, p, T);
}
