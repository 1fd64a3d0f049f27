/* Specification: JURISDICTION (the member's country at T) and
 * JURISDICTION_AT_CREATION (their country when the record was written).
 * A member's country at t is the last location, or the member fact's
 * country at joined_at, with time <= t; no known country is `excluded`. */
#include "policy/fixture.h"

static void test_default_jurisdictions(void) {
  const char *eea_ch[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
                          "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL",
                          "PT", "RO", "SK", "SI", "ES", "SE", "HU", "IS", "LI", "NO", "CH"};
  for (size_t i = 0; i < sizeof eea_ch / sizeof eea_ch[0]; i++) {
    world_t w;
    world_init(&w);
    joins(&w, eea_ch[i], "2024-01-01T00:00:00Z", NULL);
    CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
              "JURISDICTION");
    CHECK_STR(decide(&w, "personalization", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
              "INCLUDED");
    world_free(&w);
  }
  const char *elsewhere[] = {"US", "GB", "IN", "BR", "JP", "AX", "GL", "TR"};
  for (size_t i = 0; i < sizeof elsewhere / sizeof elsewhere[0]; i++) {
    world_t w;
    world_init(&w);
    joins(&w, elsewhere[i], "2024-01-01T00:00:00Z", NULL);
    CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
              "INCLUDED");
    world_free(&w);
  }
}

static void test_unknown_country_is_excluded(void) {
  world_t w;
  world_init(&w);
  joins(&w, NULL, "2024-01-01T00:00:00Z", NULL);
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION");
  CHECK_STR(decide(&w, "moderation", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION"); /* even an `allowed` purpose needs a known country */
  CHECK_INT(cs_config_rule(w.cfg, purpose(&w, "moderation"), CS_COUNTRY_NONE), CS_RULE_EXCLUDED);
  world_free(&w);
}

static void test_moved_into_the_eu_before_the_build(void) {
  /* Written in the US, then the member moved to France: excluded at T. */
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  moves(&w, "FR", "2024-03-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION");
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"),
            "JURISDICTION"); /* the move at exactly T counts */
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z"),
            "INCLUDED"); /* the move 1 ns after T does not */
  world_free(&w);
}

static void test_written_in_the_eu_then_moved_out(void) {
  world_t w;
  world_init(&w);
  joins(&w, "DE", "2024-01-01T00:00:00Z", NULL);
  moves(&w, "US", "2024-03-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION_AT_CREATION");
  CHECK_STR(decide(&w, "genai_training", "2024-04-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "INCLUDED");
  /* Moving back into the EU later excludes everything again, at T. */
  moves(&w, "IE", "2024-05-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2024-04-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION");
  CHECK_STR(decide(&w, "genai_training", "2024-04-01T00:00:00Z", "2024-04-30T00:00:00Z"),
            "INCLUDED");
  world_free(&w);
}

static void test_move_at_the_instant_a_record_was_written(void) {
  world_t w;
  world_init(&w);
  joins(&w, "DE", "2024-01-01T00:00:00Z", NULL);
  moves(&w, "US", "2024-03-01T12:00:00Z");
  /* The move is in force at the very instant the record was written. */
  CHECK_STR(decide(&w, "genai_training", "2024-03-01T12:00:00Z", "2024-06-01T00:00:00Z"),
            "INCLUDED");
  CHECK_STR(decide(&w, "genai_training", "2024-03-01T14:00:00+02:00", "2024-06-01T00:00:00Z"),
            "INCLUDED"); /* same instant, written with an offset */
  CHECK_STR(decide(&w, "genai_training", "2024-03-01T11:59:59.999999999Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION_AT_CREATION");
  world_free(&w);
}

static void test_equal_time_moves_apply_in_seq_order(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  cs_fact_t *a = moves(&w, "FR", "2024-03-01T00:00:00Z");
  cs_fact_t *b = moves(&w, "GB", "2024-03-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2024-03-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "INCLUDED"); /* GB ingested last wins */
  a->seq = 10;         /* now FR was ingested after GB */
  b->seq = 9;
  CHECK_STR(decide(&w, "genai_training", "2024-03-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION");
  world_free(&w);
}

static void test_facts_in_any_order(void) {
  world_t w;
  world_init(&w);
  moves(&w, "US", "2024-05-01T00:00:00Z")->seq = 3;
  moves(&w, "DE", "2024-03-01T00:00:00Z")->seq = 2;
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL)->seq = 1;
  const cs_member_state_t *m = fold(&w, "2024-06-01T00:00:00Z");
  CHECK_INT(m->n_countries, 3);
  CHECK_INT(cs_member_country_at(m, ts("2023-12-31T00:00:00Z")), CS_COUNTRY_NONE);
  CHECK_INT(cs_member_country_at(m, ts("2024-01-01T00:00:00Z")), cc("US"));
  CHECK_INT(cs_member_country_at(m, ts("2024-04-01T00:00:00Z")), cc("DE"));
  CHECK_INT(cs_member_country_at(m, ts("2024-05-01T00:00:00Z")), cc("US"));
  CHECK_STR(decide(&w, "genai_training", "2024-03-15T00:00:00Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION_AT_CREATION");
  /* Folded as of an earlier T, later facts do not exist. */
  m = fold(&w, "2024-04-01T00:00:00Z");
  CHECK_INT(m->n_countries, 2);
  world_free(&w);
}

static void test_record_before_joining_has_no_country(void) {
  /* Content dated before the member fact has no known country at creation. */
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  CHECK_STR(decide(&w, "genai_training", "2023-12-31T23:59:59Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION_AT_CREATION");
  world_free(&w);
}

RUN_TESTS(test_default_jurisdictions, test_unknown_country_is_excluded,
          test_moved_into_the_eu_before_the_build, test_written_in_the_eu_then_moved_out,
          test_move_at_the_instant_a_record_was_written, test_equal_time_moves_apply_in_seq_order,
          test_facts_in_any_order, test_record_before_joining_has_no_country)
