/* Specification of a member's own choices (cs_consent_set, cs_objection_put)
 * and of the standing they give them (cs_consent_show): the genai_training
 * setting only matters where the law lets members choose, objections exclude
 * a member from the purpose they name until withdrawn, and show reports the
 * same reasons the gate would. */
#include "ledger_fixture.h"

typedef struct {
  char db[FIX_PATH_MAX];
  cs_store_t *s;
  cs_config_t *cfg;
  cs_diag_t d;
  size_t genai, personalization;
} fx_t;

static void add_member(fx_t *fx, const char *id, const char *country, const char *joined) {
  cs_fact_t f = {.type = CS_FACT_MEMBER, .member = id, .at = fix_t(joined)};
  f.u.member.name = f.u.member.handle = id;
  f.u.member.email = "someone@example.com";
  f.u.member.birth_days = CS_NO_DATE;
  CHECK_INT(cs_country_parse(country, 2, &f.u.member.country), CS_OK);
  CHECK_INT(cs_store_put_fact(fx->s, &f, NULL, &fx->d), CS_OK);
}

static void fx_open(fx_t *fx) {
  fx->s = fix_open(fx->db);
  fx->d.msg[0] = '\0';
  CHECK_INT(cs_config_default(&fx->cfg), CS_OK);
  CHECK_INT(cs_config_purpose(fx->cfg, "genai_training", &fx->genai), CS_OK);
  CHECK_INT(cs_config_purpose(fx->cfg, "personalization", &fx->personalization), CS_OK);
  CHECK_INT(cs_store_begin(fx->s, &fx->d), CS_OK);
  add_member(fx, "us", "US", "2024-01-01T00:00:00Z");
  add_member(fx, "de", "DE", "2024-01-01T00:00:00Z");
  cs_fact_t move = {.type = CS_FACT_LOCATION, .member = "de", .at = fix_t("2024-09-01T00:00:00Z")};
  CHECK_INT(cs_country_parse("BR", 2, &move.u.location.country), CS_OK);
  CHECK_INT(cs_store_put_fact(fx->s, &move, NULL, &fx->d), CS_OK);
}

static void fx_close(fx_t *fx) {
  cs_store_rollback(fx->s);
  cs_config_free(fx->cfg);
  fix_close(fx->s, fx->db);
}

static cs_consent_status_t show(fx_t *fx, const char *member, const char *at) {
  cs_consent_status_t st;
  memset(&st, 0xAB, sizeof st);
  CHECK_INT(cs_consent_show(fx->s, fx->cfg, member, fix_t(at), &st, &fx->d), CS_OK);
  return st;
}

static void test_the_setting_needs_a_known_member_and_setting(void) {
  fx_t fx;
  char buf[128];
  fx_open(&fx);
  bool eff = true;
  CHECK_INT(cs_consent_set(fx.s, fx.cfg, "ghost", "genai_training", false,
                           fix_t("2024-05-01T00:00:00Z"), &eff, &fx.d),
            CS_ENOTFOUND);
  CHECK_STR(fx.d.msg, "member: no member \"ghost\" in the ledger");
  CHECK_INT(cs_consent_set(fx.s, fx.cfg, "us", "ads", false, fix_t("2024-05-01T00:00:00Z"), &eff,
                           &fx.d),
            CS_EINVAL);
  CHECK_STR(fx.d.msg, "setting: unknown setting \"ads\" (known: genai_training)");
  CHECK(eff); /* untouched by the failures */
  CHECK_STR(fix_counts_str(fx.s, buf), "2 1 0 0 0 0 0");
  fx_close(&fx);
}

static void test_the_setting_is_effective_only_where_it_is_offered(void) {
  fx_t fx;
  char buf[128];
  fx_open(&fx);
  bool eff = false;
  CHECK_INT(cs_consent_set(fx.s, fx.cfg, "us", "genai_training", false,
                           fix_t("2024-05-01T00:00:00Z"), &eff, &fx.d),
            CS_OK);
  CHECK(eff);
  /* Recorded all the same in Germany, where genai_training is excluded ... */
  CHECK_INT(cs_consent_set(fx.s, fx.cfg, "de", "genai_training", true,
                           fix_t("2024-05-01T00:00:00Z"), &eff, &fx.d),
            CS_OK);
  CHECK(!eff);
  /* ... and it counts once the member has moved to Brazil. */
  CHECK_INT(cs_consent_set(fx.s, fx.cfg, "de", "genai_training", true,
                           fix_t("2024-09-01T00:00:00Z"), &eff, &fx.d),
            CS_OK);
  CHECK(eff);
  CHECK_STR(fix_counts_str(fx.s, buf), "2 1 3 0 0 0 0");
  fx_close(&fx);
}

static void test_show_reports_the_opt_out_default_and_an_opt_out(void) {
  fx_t fx;
  fx_open(&fx);
  cs_consent_status_t st = show(&fx, "us", "2024-04-01T00:00:00Z");
  char c[3];
  cs_country_str(st.country, c);
  CHECK(st.known);
  CHECK_STR(c, "US");
  CHECK_INT(st.setting[0], -1);
  CHECK(st.offered[0]);
  CHECK_INT(st.objected, 0);
  CHECK(st.purposes[fx.genai].allowed);
  CHECK_INT(st.purposes[fx.genai].reason, CS_REASON_INCLUDED);
  CHECK_INT(st.purposes[fx.genai].rule, CS_RULE_OPT_OUT);
  CHECK_INT(cs_consent_set(fx.s, fx.cfg, "us", "genai_training", false,
                           fix_t("2024-05-01T00:00:00Z"), NULL, &fx.d),
            CS_OK);
  st = show(&fx, "us", "2024-05-01T00:00:00Z"); /* a fact at exactly T counts */
  CHECK_INT(st.setting[0], 0);
  CHECK(!st.purposes[fx.genai].allowed);
  CHECK_INT(st.purposes[fx.genai].reason, CS_REASON_OPTED_OUT);
  CHECK(st.purposes[fx.personalization].allowed);
  fx_close(&fx);
}

static void test_show_follows_the_member_across_jurisdictions(void) {
  fx_t fx;
  fx_open(&fx);
  cs_consent_status_t st = show(&fx, "de", "2024-08-31T23:59:59Z");
  CHECK(!st.offered[0]);
  CHECK_INT(st.purposes[fx.genai].reason, CS_REASON_JURISDICTION);
  CHECK_INT(st.purposes[fx.genai].rule, CS_RULE_EXCLUDED);
  CHECK_INT(st.purposes[fx.personalization].rule, CS_RULE_ALLOWED);
  CHECK(st.purposes[fx.personalization].allowed);
  st = show(&fx, "de", "2024-09-01T00:00:00Z");
  CHECK(st.offered[0]);
  CHECK_INT(st.purposes[fx.genai].reason, CS_REASON_INCLUDED);
  fx_close(&fx);
}

static void test_objections_exclude_until_withdrawn(void) {
  fx_t fx;
  fx_open(&fx);
  CHECK_INT(cs_objection_put(fx.s, fx.cfg, "us", "personalization", false, "no thanks",
                             fix_t("2024-05-01T00:00:00Z"), &fx.d),
            CS_OK);
  cs_consent_status_t st = show(&fx, "us", "2024-06-01T00:00:00Z");
  CHECK_INT(st.objected, 1u << fx.personalization);
  CHECK_INT(st.purposes[fx.personalization].reason, CS_REASON_OBJECTED);
  CHECK(st.purposes[fx.genai].allowed);
  CHECK_INT(cs_objection_put(fx.s, fx.cfg, "us", "personalization", true, NULL,
                             fix_t("2024-07-01T00:00:00Z"), &fx.d),
            CS_OK);
  st = show(&fx, "us", "2024-07-01T00:00:00Z");
  CHECK_INT(st.objected, 0);
  CHECK(st.purposes[fx.personalization].allowed);
  CHECK_INT(cs_objection_put(fx.s, fx.cfg, "us", "ads", false, NULL,
                             fix_t("2024-07-01T00:00:00Z"), &fx.d),
            CS_EINVAL);
  CHECK_STR(fx.d.msg, "purpose: unknown purpose \"ads\""
                      " (known: genai_training, personalization, moderation)");
  CHECK_INT(cs_objection_put(fx.s, fx.cfg, "ghost", "moderation", false, NULL,
                             fix_t("2024-07-01T00:00:00Z"), &fx.d),
            CS_ENOTFOUND);
  fx_close(&fx);
}

static void test_show_before_joining_and_for_strangers(void) {
  fx_t fx;
  fx_open(&fx);
  cs_consent_status_t st = show(&fx, "us", "2023-12-31T23:59:59Z");
  CHECK(!st.known);
  CHECK_INT(st.country, CS_COUNTRY_NONE);
  CHECK_INT(st.purposes[fx.genai].reason, CS_REASON_UNKNOWN_MEMBER);
  CHECK_INT(st.purposes[fx.personalization].reason, CS_REASON_UNKNOWN_MEMBER);
  CHECK_INT(cs_consent_show(fx.s, fx.cfg, "ghost", fix_t("2024-01-01T00:00:00Z"), &st, &fx.d),
            CS_ENOTFOUND);
  CHECK_STR(fx.d.msg, "member: no member \"ghost\" in the ledger");
  fx_close(&fx);
}

RUN_TESTS(test_the_setting_needs_a_known_member_and_setting,
          test_the_setting_is_effective_only_where_it_is_offered,
          test_show_reports_the_opt_out_default_and_an_opt_out,
          test_show_follows_the_member_across_jurisdictions,
          test_objections_exclude_until_withdrawn, test_show_before_joining_and_for_strangers)
