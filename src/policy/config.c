/* config.c — the built-in purposes and lookups on a cs_config_t.
 *
 * The defaults are DESIGN.md's purposes table:
 *  - genai_training: excluded in the EU27, Iceland, Liechtenstein, Norway and
 *    Switzerland; opt_out (setting "genai_training", on by default) elsewhere;
 *    public and connections posts, articles, comments and profiles; redacted.
 *  - personalization, moderation: allowed everywhere (only an objection
 *    excludes), every kind but private messages, every visibility.
 * Every purpose is EXCLUDED for CS_COUNTRY_NONE (no known country), always.
 * Loading a file (config_ini.c) starts from these and overrides them.
 */
#include <consentry/policy.h>

#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"

/* The EU27, then the rest of the EEA (IS LI NO), then Switzerland. */
static const char eea_ch[] =
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU "
    "IS LI NO CH";

#define BIT(k) (1u << (k)) /* the mask bit of a kind or a visibility */
#define ALL_KINDS ((1u << CS_N_KINDS) - 1u)
#define ALL_VIS ((1u << CS_N_VIS) - 1u)

bool cs__name_valid(const char *s, size_t len) {
  if (!s || len == 0 || len >= CS_NAME_MAX) return false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

void cs__purpose_set_all(cs_purpose_t *p, cs_rule_t r) {
  for (size_t c = 1; c < CS_COUNTRY_SLOTS; c++) p->rule[c] = (uint8_t)r;
  p->rule[CS_COUNTRY_NONE] = CS_RULE_EXCLUDED;
}

int cs__config_add_purpose(cs_config_t *cfg, const char *name, size_t *out) {
  size_t len = strlen(name);
  if (!cs__name_valid(name, len)) return CS_EINVAL;
  if (cfg->n_purposes >= CS_MAX_PURPOSES) return CS_ERANGE;
  cs_purpose_t *p = &cfg->purposes[cfg->n_purposes];
  memset(p, 0, sizeof *p);
  memcpy(p->name, name, len + 1);
  p->setting = -1;
  cs__purpose_set_all(p, CS_RULE_EXCLUDED);
  *out = cfg->n_purposes++;
  return CS_OK;
}

int cs__config_add_setting(cs_config_t *cfg, const char *name, size_t *out) {
  if (cs_config_setting(cfg, name, out) == CS_OK) return CS_OK;
  size_t len = strlen(name);
  if (!cs__name_valid(name, len)) return CS_EINVAL;
  if (cfg->n_settings >= CS_MAX_SETTINGS) return CS_ERANGE;
  memcpy(cfg->settings[cfg->n_settings], name, len + 1);
  *out = cfg->n_settings++;
  return CS_OK;
}

/* genai_training: the one purpose with a member setting and an exclusion list. */
static int add_genai(cs_config_t *cfg) {
  size_t p, s;
  int rc = cs__config_add_purpose(cfg, "genai_training", &p);
  if (rc == CS_OK) rc = cs__config_add_setting(cfg, "genai_training", &s);
  if (rc != CS_OK) return rc;
  cs_purpose_t *g = &cfg->purposes[p];
  g->kinds = BIT(CS_KIND_POST) | BIT(CS_KIND_ARTICLE) | BIT(CS_KIND_COMMENT) |
             BIT(CS_KIND_PROFILE);
  g->visibilities = BIT(CS_VIS_PUBLIC) | BIT(CS_VIS_CONNECTIONS);
  g->redaction = true;
  g->setting = (int)s;
  cs__purpose_set_all(g, CS_RULE_OPT_OUT);
  for (const char *c = eea_ch; *c; c += (c[2] ? 3 : 2)) {
    cs_country_t code;
    if (cs_country_parse(c, 2, &code) != CS_OK) return CS_EINTERNAL;
    g->rule[code] = CS_RULE_EXCLUDED;
  }
  return CS_OK;
}

/* personalization, moderation: objection-only purposes. */
static int add_objection_only(cs_config_t *cfg, const char *name) {
  size_t p;
  int rc = cs__config_add_purpose(cfg, name, &p);
  if (rc != CS_OK) return rc;
  cs_purpose_t *o = &cfg->purposes[p];
  o->kinds = ALL_KINDS & ~BIT(CS_KIND_MESSAGE);
  o->visibilities = ALL_VIS;
  cs__purpose_set_all(o, CS_RULE_ALLOWED);
  return CS_OK;
}

int cs_config_default(cs_config_t **out) {
  cs_config_t *cfg = calloc(1, sizeof *cfg);
  if (!cfg) return CS_ENOMEM;
  cfg->notice = 30 * CS_NS_PER_DAY;
  int rc = add_genai(cfg);
  if (rc == CS_OK) rc = add_objection_only(cfg, "personalization");
  if (rc == CS_OK) rc = add_objection_only(cfg, "moderation");
  if (rc != CS_OK) {
    free(cfg);
    return rc;
  }
  *out = cfg;
  return CS_OK;
}

void cs_config_free(cs_config_t *cfg) { free(cfg); }

int cs_config_purpose(const cs_config_t *cfg, const char *name, size_t *out) {
  if (!cfg || !name) return CS_ENOTFOUND;
  for (size_t i = 0; i < cfg->n_purposes; i++)
    if (strcmp(cfg->purposes[i].name, name) == 0) {
      *out = i;
      return CS_OK;
    }
  return CS_ENOTFOUND;
}

int cs_config_setting(const cs_config_t *cfg, const char *name, size_t *out) {
  if (!cfg || !name) return CS_ENOTFOUND;
  for (size_t i = 0; i < cfg->n_settings; i++)
    if (strcmp(cfg->settings[i], name) == 0) {
      *out = i;
      return CS_OK;
    }
  return CS_ENOTFOUND;
}

cs_rule_t cs_config_rule(const cs_config_t *cfg, size_t p, cs_country_t c) {
  if (!cfg || p >= cfg->n_purposes || c == CS_COUNTRY_NONE || c >= CS_COUNTRY_SLOTS)
    return CS_RULE_EXCLUDED;
  return (cs_rule_t)cfg->purposes[p].rule[c];
}
