/* Specification of `policy publish` and of finding the policy that covers a
 * purpose at T (cs_policy_publish, cs_policy_covering): the notice period is
 * enforced, versions are unique, purposes must be known, and a build at T is
 * covered by the newest version listing its purpose in effect at T. */
#include "ledger_fixture.h"

typedef struct {
  char db[FIX_PATH_MAX];
  cs_store_t *s;
  cs_config_t *cfg;
  cs_diag_t d;
} fx_t;

static void fx_open(fx_t *fx) {
  fx->s = fix_open(fx->db);
  CHECK_INT(cs_config_default(&fx->cfg), CS_OK);
  fx->d.msg[0] = '\0';
}

static void fx_close(fx_t *fx) {
  cs_config_free(fx->cfg);
  fix_close(fx->s, fx->db);
}

/* Publishes in its own transaction, as the CLI does. */
static int publish(fx_t *fx, const char *version, const char *purposes, const char *published,
                   const char *effective) {
  CHECK_INT(cs_store_begin(fx->s, &fx->d), CS_OK);
  int rc = cs_policy_publish(fx->s, fx->cfg, version, purposes, fix_t(published),
                             fix_t(effective), &fx->d);
  if (rc == CS_OK)
    rc = cs_store_commit(fx->s, &fx->d);
  else
    cs_store_rollback(fx->s);
  return rc;
}

static void test_the_notice_period_is_enforced(void) {
  fx_t fx;
  char buf[128];
  fx_open(&fx);
  CHECK_INT(publish(&fx, "v1", "genai_training", "2024-05-01T00:00:00Z", "2024-05-20T00:00:00Z"),
            CS_EREFUSED);
  CHECK_STR(fx.d.msg,
            "effective 2024-05-20T00:00:00Z is before the end of the 30-day notice period;"
            " earliest allowed effective date: 2024-05-31T00:00:00Z");
  CHECK_STR(fix_counts_str(fx.s, buf), "0 0 0 0 0 0 0");
  /* Exactly 30 days is enough. */
  CHECK_INT(publish(&fx, "v1", "genai_training", "2024-05-01T00:00:00Z", "2024-05-31T00:00:00Z"),
            CS_OK);
  CHECK_STR(fix_counts_str(fx.s, buf), "0 0 0 0 1 0 0");
  fx_close(&fx);
}

static void test_versions_are_published_once(void) {
  fx_t fx;
  fx_open(&fx);
  CHECK_INT(publish(&fx, "v1", "moderation", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"), CS_OK);
  CHECK_INT(publish(&fx, "v1", "moderation", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"),
            CS_EINVAL);
  CHECK_STR(fx.d.msg, "version \"v1\": version already published");
  fx_close(&fx);
}

static void test_purposes_must_be_known_and_listed_once(void) {
  fx_t fx;
  fx_open(&fx);
  CHECK_INT(publish(&fx, "v1", "genai_training,ads", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"),
            CS_EINVAL);
  CHECK_STR(fx.d.msg, "purposes: unknown purpose \"ads\""
                      " (known: genai_training, personalization, moderation)");
  CHECK_INT(publish(&fx, "v1", "", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"), CS_EINVAL);
  CHECK_STR(fx.d.msg, "purposes: expected a list like genai_training, personalization, moderation");
  CHECK_INT(publish(&fx, "v1", "moderation,moderation", "2024-01-01T00:00:00Z",
                    "2024-03-01T00:00:00Z"),
            CS_EINVAL);
  CHECK_STR(fx.d.msg, "purposes: \"moderation\" listed twice");
  CHECK_INT(publish(&fx, "", "moderation", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"),
            CS_EINVAL);
  CHECK_STR(fx.d.msg, "version: expected 1 to 256 bytes");
  fx_close(&fx);
}

static int purposes_of(void *ctx, const cs_fact_t *f) {
  snprintf(ctx, 128, "%s=%s", f->u.policy.version, f->u.policy.purposes);
  return 0;
}

static void test_purpose_lists_are_stored_canonically(void) {
  fx_t fx;
  char got[128] = "";
  fx_open(&fx);
  CHECK_INT(publish(&fx, "v1", " genai_training , moderation", "2024-01-01T00:00:00Z",
                    "2024-03-01T00:00:00Z"),
            CS_OK);
  CHECK_INT(cs_store_each_policy(fx.s, purposes_of, got, &fx.d), CS_OK);
  CHECK_STR(got, "v1=genai_training,moderation");
  fx_close(&fx);
}

static void test_the_newest_policy_in_effect_covers_a_purpose(void) {
  fx_t fx;
  char v[64] = "";
  fx_open(&fx);
  CHECK_INT(publish(&fx, "2024-a", "genai_training,moderation", "2024-01-01T00:00:00Z",
                    "2024-03-01T00:00:00Z"),
            CS_OK);
  CHECK_INT(publish(&fx, "2024-b", "moderation", "2024-02-01T00:00:00Z", "2024-04-01T00:00:00Z"),
            CS_OK);
  CHECK_INT(publish(&fx, "2024-c", "genai_training", "2024-04-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            CS_OK);
  CHECK_INT(cs_policy_covering(fx.s, "genai_training", fix_t("2024-05-01T00:00:00Z"), v, sizeof v,
                               &fx.d),
            CS_OK);
  CHECK_STR(v, "2024-a");
  /* A policy counts from exactly its effective_at. */
  CHECK_INT(cs_policy_covering(fx.s, "genai_training", fix_t("2024-06-01T00:00:00Z"), v, sizeof v,
                               &fx.d),
            CS_OK);
  CHECK_STR(v, "2024-c");
  CHECK_INT(cs_policy_covering(fx.s, "moderation", fix_t("2030-01-01T00:00:00Z"), v, sizeof v,
                               &fx.d),
            CS_OK);
  CHECK_STR(v, "2024-b");
  char tiny[4];
  CHECK_INT(cs_policy_covering(fx.s, "moderation", fix_t("2030-01-01T00:00:00Z"), tiny,
                               sizeof tiny, &fx.d),
            CS_ERANGE);
  fx_close(&fx);
}

static void test_no_covering_policy_is_refused_naming_the_next(void) {
  fx_t fx;
  char v[64] = "unchanged";
  fx_open(&fx);
  CHECK_INT(publish(&fx, "2024-a", "genai_training", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"),
            CS_OK);
  CHECK_INT(cs_policy_covering(fx.s, "genai_training", fix_t("2024-02-29T23:59:59Z"), v, sizeof v,
                               &fx.d),
            CS_EREFUSED);
  CHECK_STR(fx.d.msg, "no policy covering genai_training is in effect at 2024-02-29T23:59:59Z;"
                      " the next, version \"2024-a\", takes effect at 2024-03-01T00:00:00Z");
  CHECK_STR(v, "unchanged");
  CHECK_INT(cs_policy_covering(fx.s, "personalization", fix_t("2025-01-01T00:00:00Z"), v,
                               sizeof v, &fx.d),
            CS_EREFUSED);
  CHECK_STR(fx.d.msg, "no policy covering personalization is in effect at 2025-01-01T00:00:00Z,"
                      " and none is scheduled");
  fx_close(&fx);
}

RUN_TESTS(test_the_notice_period_is_enforced, test_versions_are_published_once,
          test_purposes_must_be_known_and_listed_once, test_purpose_lists_are_stored_canonically,
          test_the_newest_policy_in_effect_covers_a_purpose,
          test_no_covering_policy_is_refused_naming_the_next)
