/* consent.c — a member's own choices: the setting, objections, and the
 * standing they give the member for every purpose.
 *
 * The rules themselves live in src/policy (cs_member_state_fold,
 * cs_eligibility_member); this file only fetches the member's facts as of T
 * and asks them, so `consent show` and the gate can never disagree.
 */
#include <stdlib.h>
#include <string.h>

#include <consentry/ledger.h>

#include "ledger/fact_json.h"

/* A member's facts copied out of a store scan. The copies point their names
 * at the config's own strings (the fold only needs names cfg knows; facts
 * naming anything else are dropped, as the fold would ignore them), so no
 * string is copied. */
typedef struct {
  const cs_config_t *cfg;
  cs_fact_t *v;
  size_t n, cap;
  cs_fact_cb each; /* also shown every fact as scanned; NULL */
  void *each_ctx;
} facts_t;

static void intern_names(const cs_config_t *cfg, cs_fact_t *f, bool *keep) {
  size_t i;
  f->member = NULL;
  f->fact_id = NULL;
  if (f->type == CS_FACT_MEMBER) {
    f->u.member.name = f->u.member.handle = f->u.member.email = NULL;
  } else if (f->type == CS_FACT_SETTING) {
    *keep = cs_config_setting(cfg, f->u.setting.setting, &i) == CS_OK;
    f->u.setting.setting = *keep ? cfg->settings[i] : NULL;
  } else if (f->type == CS_FACT_OBJECTION) {
    *keep = cs_config_purpose(cfg, f->u.objection.purpose, &i) == CS_OK;
    f->u.objection.purpose = *keep ? cfg->purposes[i].name : NULL;
    f->u.objection.reason = NULL;
  }
}

static int collect(void *ctx, const cs_fact_t *f) {
  facts_t *fs = ctx;
  if (fs->each) {
    int rc = fs->each(fs->each_ctx, f);
    if (rc) return rc;
  }
  if (fs->n == fs->cap) {
    size_t cap = fs->cap ? fs->cap * 2 : 16;
    cs_fact_t *v = realloc(fs->v, cap * sizeof *v);
    if (!v) return CS_ENOMEM;
    fs->v = v;
    fs->cap = cap;
  }
  cs_fact_t copy = *f;
  bool keep = true;
  intern_names(fs->cfg, &copy, &keep);
  if (keep) fs->v[fs->n++] = copy;
  return 0;
}

/* The member's state as of T. *out_countries backs out->countries; the
 * caller frees it. */
static int member_state_each(cs_store_t *s, const cs_config_t *cfg, const char *member,
                             cs_time_t T, cs_member_state_t *out, cs_country_at_t **out_countries,
                             cs_fact_cb each, void *each_ctx, cs_diag_t *diag) {
  facts_t fs = {.cfg = cfg, .each = each, .each_ctx = each_ctx};
  int rc = cs_store_each_member_fact(s, member, T, collect, &fs, diag);
  if (rc == CS_ENOMEM) cs_diag_set(diag, rc, "member %.60s: out of memory", member);
  cs_country_at_t *countries = NULL;
  if (rc == CS_OK && !(countries = calloc(fs.n ? fs.n : 1, sizeof *countries)))
    rc = cs_diag_set(diag, CS_ENOMEM, "member %.60s: out of memory", member);
  if (rc == CS_OK) {
    cs_member_state_fold(fs.v, fs.n, T, cfg, countries, out);
    *out_countries = countries;
  }
  free(fs.v);
  return rc;
}

static int member_state(cs_store_t *s, const cs_config_t *cfg, const char *member, cs_time_t T,
                        cs_member_state_t *out, cs_country_at_t **out_countries,
                        cs_diag_t *diag) {
  return member_state_each(s, cfg, member, T, out, out_countries, NULL, NULL, diag);
}

static int ignore_fact(void *ctx, const cs_fact_t *f) {
  (void)ctx;
  (void)f;
  return 0;
}

/* Does setting s control some purpose whose rule in country c lets the
 * member choose (opt_out or opt_in)? */
static bool setting_offered(const cs_config_t *cfg, size_t s, cs_country_t c) {
  for (size_t p = 0; p < cfg->n_purposes; p++) {
    if (cfg->purposes[p].setting != (int)s) continue;
    cs_rule_t r = cs_config_rule(cfg, p, c);
    if (r == CS_RULE_OPT_OUT || r == CS_RULE_OPT_IN) return true;
  }
  return false;
}

static int known_setting(const cs_config_t *cfg, const char *setting, size_t *out,
                         cs_diag_t *diag) {
  if (setting && cs_config_setting(cfg, setting, out) == CS_OK) return CS_OK;
  char known[512];
  cs__config_setting_list(cfg, known, sizeof known);
  return cs_diag_set(diag, CS_EINVAL, "setting: unknown setting \"%.60s\" (known: %s)",
                     setting ? setting : "", known);
}

static int setting_effective(cs_store_t *s, const cs_config_t *cfg, const char *member,
                             size_t idx, cs_time_t at, bool *out, cs_diag_t *diag) {
  cs_member_state_t st;
  cs_country_at_t *countries = NULL;
  int rc = member_state(s, cfg, member, at, &st, &countries, diag);
  if (rc == CS_OK) *out = setting_offered(cfg, idx, cs_member_country_at(&st, at));
  free(countries);
  return rc;
}

int cs_consent_set(cs_store_t *s, const cs_config_t *cfg, const char *member, const char *setting,
                   bool value, cs_time_t at, bool *out_effective, cs_diag_t *diag) {
  size_t idx;
  bool effective = false;
  if (!s || !cfg || !member) return cs_diag_set(diag, CS_EINVAL, "consent: missing argument");
  int rc = cs_store_get_member(s, member, ignore_fact, NULL, diag);
  if (rc == CS_OK) rc = known_setting(cfg, setting, &idx, diag);
  if (rc == CS_OK && out_effective) rc = setting_effective(s, cfg, member, idx, at, &effective, diag);
  if (rc < 0) return rc;
  cs_fact_t f = {.type = CS_FACT_SETTING, .member = member, .at = at};
  f.u.setting.setting = cfg->settings[idx];
  f.u.setting.value = value;
  rc = cs_store_put_fact(s, &f, NULL, diag);
  if (rc == CS_OK && out_effective) *out_effective = effective;
  return rc;
}

static int known_purpose(const cs_config_t *cfg, const char *purpose, size_t *out,
                         cs_diag_t *diag) {
  if (purpose && cs_config_purpose(cfg, purpose, out) == CS_OK) return CS_OK;
  char known[1024];
  cs__config_purpose_list(cfg, known, sizeof known);
  return cs_diag_set(diag, CS_EINVAL, "purpose: unknown purpose \"%.60s\" (known: %s)",
                     purpose ? purpose : "", known);
}

int cs_objection_put(cs_store_t *s, const cs_config_t *cfg, const char *member,
                     const char *purpose, bool withdraw, const char *reason, cs_time_t at,
                     cs_diag_t *diag) {
  size_t idx;
  if (!s || !cfg || !member) return cs_diag_set(diag, CS_EINVAL, "object: missing argument");
  if (reason && strlen(reason) > CS_FACT_REASON_MAX)
    return cs_diag_set(diag, CS_EINVAL, "reason: expected at most %d bytes", CS_FACT_REASON_MAX);
  int rc = cs_store_get_member(s, member, ignore_fact, NULL, diag);
  if (rc == CS_OK) rc = known_purpose(cfg, purpose, &idx, diag);
  if (rc < 0) return rc;
  cs_fact_t f = {.type = CS_FACT_OBJECTION, .member = member, .at = at};
  f.u.objection.purpose = cfg->purposes[idx].name;
  f.u.objection.withdrawn = withdraw;
  f.u.objection.reason = reason && *reason ? reason : NULL;
  return cs_store_put_fact(s, &f, NULL, diag);
}

static void fill_status(const cs_config_t *cfg, const cs_member_state_t *st, cs_time_t T,
                        cs_consent_status_t *out) {
  memset(out, 0, sizeof *out);
  out->known = st->known;
  out->country = cs_member_country_at(st, T);
  out->objected = st->objected;
  memcpy(out->setting, st->setting, sizeof out->setting);
  for (size_t i = 0; i < cfg->n_settings && i < CS_MAX_SETTINGS; i++)
    out->offered[i] = setting_offered(cfg, i, out->country);
  for (size_t p = 0; p < cfg->n_purposes && p < CS_MAX_PURPOSES; p++) {
    cs_purpose_status_t *ps = &out->purposes[p];
    ps->reason = cs_eligibility_member(st->known ? st : NULL, cfg, p, T);
    ps->allowed = ps->reason == CS_REASON_INCLUDED;
    ps->rule = cs_config_rule(cfg, p, out->country);
  }
}

int cs_consent_show(cs_store_t *s, const cs_config_t *cfg, const char *member, cs_time_t T,
                    cs_consent_status_t *out, cs_diag_t *diag) {
  return cs_consent_show_each(s, cfg, member, T, out, NULL, NULL, diag);
}

int cs_consent_show_each(cs_store_t *s, const cs_config_t *cfg, const char *member, cs_time_t T,
                         cs_consent_status_t *out, cs_fact_cb each, void *ctx, cs_diag_t *diag) {
  cs_member_state_t st;
  cs_country_at_t *countries = NULL;
  if (!s || !cfg || !member || !out)
    return cs_diag_set(diag, CS_EINVAL, "consent: missing argument");
  int rc = cs_store_get_member(s, member, ignore_fact, NULL, diag);
  if (rc == CS_OK) rc = member_state_each(s, cfg, member, T, &st, &countries, each, ctx, diag);
  if (rc == CS_OK) fill_status(cfg, &st, T, out);
  free(countries);
  return rc;
}
