/* Specification: the member's own choices — OPTED_OUT, NOT_OPTED_IN, OBJECTED.
 * The setting in force is the last setting fact <= T by (at, seq); never set
 * means on where the rule is opt_out and off where it is opt_in; an `allowed`
 * purpose ignores settings; an objection is active while its last fact
 * (by (at, seq), at <= T) is not a withdrawal. */
#include <stdlib.h>
#include <unistd.h>

#include "policy/fixture.h"

static const char *C = "2024-02-01T00:00:00Z"; /* when the record was written */

static void test_opt_out_is_on_by_default(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "INCLUDED");
  sets(&w, "genai_training", false, "2024-05-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", C, "2024-05-01T00:00:00Z"), "OPTED_OUT"); /* at T */
  CHECK_STR(decide(&w, "genai_training", C, "2024-04-30T23:59:59.999999999Z"), "INCLUDED");
  /* The opt-out reaches back to records written long before it. */
  CHECK_STR(decide(&w, "genai_training", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"),
            "OPTED_OUT");
  sets(&w, "genai_training", true, "2024-05-02T00:00:00+02:00");
  CHECK_STR(decide(&w, "genai_training", C, "2024-05-01T22:00:00Z"), "INCLUDED");
  CHECK_STR(decide(&w, "genai_training", C, "2024-05-01T21:59:59Z"), "OPTED_OUT");
  world_free(&w);
}

static void test_equal_time_settings_seq_decides(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  cs_fact_t *off = sets(&w, "genai_training", false, "2024-05-01T00:00:00Z");
  cs_fact_t *on = sets(&w, "genai_training", true, "2024-05-01T02:00:00+02:00");
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "INCLUDED");
  off->seq = 7; /* the opt-out was ingested last */
  on->seq = 6;
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "OPTED_OUT");
  world_free(&w);
}

static void test_settings_do_not_touch_allowed_purposes(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  sets(&w, "genai_training", false, "2024-05-01T00:00:00Z");
  sets(&w, "some_other_setting", false, "2024-05-01T00:00:00Z"); /* unknown: ignored */
  CHECK_STR(decide(&w, "personalization", C, "2024-06-01T00:00:00Z"), "INCLUDED");
  CHECK_STR(decide(&w, "moderation", C, "2024-06-01T00:00:00Z"), "INCLUDED");
  world_free(&w);
}

static void test_objection_withdrawal_and_reobjection(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  objects(&w, "personalization", false, "2024-03-01T00:00:00Z");
  objects(&w, "personalization", true, "2024-04-01T00:00:00Z");
  objects(&w, "personalization", false, "2024-05-01T00:00:00Z");
  CHECK_STR(decide(&w, "personalization", C, "2024-02-29T00:00:00Z"), "INCLUDED");
  CHECK_STR(decide(&w, "personalization", C, "2024-03-01T00:00:00Z"), "OBJECTED");
  CHECK_STR(decide(&w, "personalization", C, "2024-04-01T00:00:00Z"), "INCLUDED");
  CHECK_STR(decide(&w, "personalization", C, "2024-05-01T00:00:00Z"), "OBJECTED");
  /* An objection names one purpose. */
  CHECK_STR(decide(&w, "moderation", C, "2024-06-01T00:00:00Z"), "INCLUDED");
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "INCLUDED");
  world_free(&w);
}

static void test_equal_time_objections_seq_decides(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  cs_fact_t *obj = objects(&w, "moderation", false, "2024-03-01T00:00:00Z");
  cs_fact_t *wd = objects(&w, "moderation", true, "2024-03-01T00:00:00Z");
  CHECK_STR(decide(&w, "moderation", C, "2024-06-01T00:00:00Z"), "INCLUDED");
  obj->seq = 20;
  wd->seq = 19;
  CHECK_STR(decide(&w, "moderation", C, "2024-06-01T00:00:00Z"), "OBJECTED");
  objects(&w, "moderation", true, "2024-02-01T00:00:00Z")->seq = 30; /* older: no effect */
  CHECK_STR(decide(&w, "moderation", C, "2024-06-01T00:00:00Z"), "OBJECTED");
  world_free(&w);
}

static void test_objection_to_genai_training(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  sets(&w, "genai_training", true, "2024-02-01T00:00:00Z");
  objects(&w, "genai_training", false, "2024-03-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "OBJECTED");
  /* Opted out and objected: OPTED_OUT is reported first. */
  sets(&w, "genai_training", false, "2024-04-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "OPTED_OUT");
  world_free(&w);
}

/* A config where genai_training is opt_in in GB and allowed in CA. */
static cs_config_t *opt_in_config(void) {
  char path[] = "/tmp/cs_test_choices_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs("[purpose genai_training]\nopt_in = GB\nallowed = CA\n", f);
  fclose(f);
  cs_config_t *cfg = NULL;
  cs_diag_t d = {""};
  CHECK_INT(cs_config_load(path, &cfg, &d), CS_OK);
  unlink(path);
  return cfg;
}

static void test_opt_in_via_loaded_config(void) {
  world_t w;
  world_init(&w);
  cs_config_free(w.cfg);
  w.cfg = opt_in_config();
  joins(&w, "GB", "2024-01-01T00:00:00Z", NULL);
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "NOT_OPTED_IN");
  cs_fact_t *on = sets(&w, "genai_training", true, "2024-05-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", C, "2024-05-01T00:00:00Z"), "INCLUDED");
  CHECK_STR(decide(&w, "genai_training", C, "2024-04-30T23:59:59.999999999Z"), "NOT_OPTED_IN");
  on->u.setting.value = false;
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "NOT_OPTED_IN");
  /* In the US it is still opt_out: an explicit false there is OPTED_OUT. */
  moves(&w, "US", "2024-05-15T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", C, "2024-06-01T00:00:00Z"), "OPTED_OUT");
  /* In CA (allowed) the setting has no effect; only objections exclude. */
  moves(&w, "CA", "2024-05-20T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2024-05-21T00:00:00Z", "2024-06-01T00:00:00Z"),
            "INCLUDED");
  objects(&w, "genai_training", false, "2024-05-25T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2024-05-21T00:00:00Z", "2024-06-01T00:00:00Z"),
            "OBJECTED");
  world_free(&w);
}

static void test_member_level_decision(void) {
  world_t w;
  world_init(&w);
  size_t g = purpose(&w, "genai_training"), m = purpose(&w, "moderation");
  cs_time_t T = ts("2024-06-01T00:00:00Z");
  CHECK_INT(cs_eligibility_member(NULL, w.cfg, g, T), CS_REASON_UNKNOWN_MEMBER);
  joins(&w, "DE", "2024-01-01T00:00:00Z", NULL);
  moves(&w, "US", "2024-02-01T00:00:00Z");
  sets(&w, "genai_training", false, "2024-03-01T00:00:00Z");
  objects(&w, "moderation", false, "2024-03-01T00:00:00Z");
  const cs_member_state_t *s = fold(&w, "2024-06-01T00:00:00Z");
  CHECK_INT(cs_eligibility_member(s, w.cfg, g, T), CS_REASON_OPTED_OUT);
  CHECK_INT(cs_eligibility_member(s, w.cfg, m, T), CS_REASON_OBJECTED);
  CHECK_INT(cs_eligibility_member(s, w.cfg, purpose(&w, "personalization"), T),
            CS_REASON_INCLUDED);
  closes(&w, "2024-05-01T00:00:00Z");
  s = fold(&w, "2024-06-01T00:00:00Z");
  CHECK_INT(cs_eligibility_member(s, w.cfg, g, T), CS_REASON_ACCOUNT_CLOSED);
  world_free(&w);
}

RUN_TESTS(test_opt_out_is_on_by_default, test_equal_time_settings_seq_decides,
          test_settings_do_not_touch_allowed_purposes, test_objection_withdrawal_and_reobjection,
          test_equal_time_objections_seq_decides, test_objection_to_genai_training,
          test_opt_in_via_loaded_config, test_member_level_decision)
