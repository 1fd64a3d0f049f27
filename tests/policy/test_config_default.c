/* Specification: the built-in purposes of DESIGN.md's table. */
#include <consentry/policy.h>

#include "check.h"

static const char *eea_ch[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE",
                               "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO",
                               "SK", "SI", "ES", "SE", "HU", "IS", "LI", "NO", "CH"};

static bool in_eea_ch(cs_country_t c) {
  char s[3];
  cs_country_str(c, s);
  for (size_t i = 0; i < sizeof eea_ch / sizeof eea_ch[0]; i++)
    if (strcmp(s, eea_ch[i]) == 0) return true;
  return false;
}

typedef struct {
  const cs_config_t *cfg;
  size_t p;
  int wrong;
} each_t;

static void genai_rule(void *ctx, cs_country_t c) {
  each_t *e = ctx;
  cs_rule_t want = in_eea_ch(c) ? CS_RULE_EXCLUDED : CS_RULE_OPT_OUT;
  if (cs_config_rule(e->cfg, e->p, c) != want) e->wrong++;
}

static void allowed_rule(void *ctx, cs_country_t c) {
  each_t *e = ctx;
  if (cs_config_rule(e->cfg, e->p, c) != CS_RULE_ALLOWED) e->wrong++;
}

static void test_genai_training(void) {
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  size_t p = 99, s = 99;
  CHECK_INT(cs_config_purpose(cfg, "genai_training", &p), CS_OK);
  CHECK_INT(cs_config_setting(cfg, "genai_training", &s), CS_OK);
  const cs_purpose_t *g = &cfg->purposes[p];
  CHECK_INT(g->setting, (int)s);
  CHECK(g->redaction);
  CHECK_INT(g->kinds, (1u << CS_KIND_POST) | (1u << CS_KIND_ARTICLE) | (1u << CS_KIND_COMMENT) |
                          (1u << CS_KIND_PROFILE));
  CHECK_INT(g->visibilities, (1u << CS_VIS_PUBLIC) | (1u << CS_VIS_CONNECTIONS));
  each_t e = {cfg, p, 0};
  cs_country_each(genai_rule, &e);
  CHECK_INT(e.wrong, 0);
  CHECK_INT(cs_config_rule(cfg, p, CS_COUNTRY_NONE), CS_RULE_EXCLUDED);
  cs_config_free(cfg);
}

static void test_objection_only_purposes(void) {
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  const char *names[] = {"personalization", "moderation"};
  for (size_t i = 0; i < 2; i++) {
    size_t p = 99;
    CHECK_INT(cs_config_purpose(cfg, names[i], &p), CS_OK);
    const cs_purpose_t *o = &cfg->purposes[p];
    CHECK_INT(o->setting, -1);
    CHECK(!o->redaction);
    CHECK_INT(o->kinds, ((1u << CS_N_KINDS) - 1) & ~(1u << CS_KIND_MESSAGE));
    CHECK_INT(o->visibilities, (1u << CS_N_VIS) - 1);
    each_t e = {cfg, p, 0};
    cs_country_each(allowed_rule, &e);
    CHECK_INT(e.wrong, 0);
    CHECK_INT(cs_config_rule(cfg, p, CS_COUNTRY_NONE), CS_RULE_EXCLUDED);
  }
  cs_config_free(cfg);
}

static void test_policy_and_lookups(void) {
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  CHECK_INT(cfg->n_purposes, 3);
  CHECK_INT(cfg->n_settings, 1);
  CHECK_INT(cfg->notice, 30 * CS_NS_PER_DAY);
  size_t i = 42;
  CHECK_INT(cs_config_purpose(cfg, "advertising", &i), CS_ENOTFOUND);
  CHECK_INT(cs_config_setting(cfg, "marketing", &i), CS_ENOTFOUND);
  CHECK_INT(i, 42);
  CHECK_INT(cs_config_rule(cfg, 3, 1), CS_RULE_EXCLUDED); /* no such purpose */
  cs_config_free(cfg);
  cs_config_free(NULL);
}

RUN_TESTS(test_genai_training, test_objection_only_purposes, test_policy_and_lookups)
