/* Specification: a record failing several rules reports the FIRST failing
 * reason in DESIGN.md's order. We start from a record that fails every rule
 * and remove the causes one at a time, expecting each next reason in turn. */
#include "policy/fixture.h"

static void test_each_reason_in_order(void) {
  world_t w;
  world_init(&w);
  /* A US member, born 2010, who writes while in France, moves to Germany,
   * opts out, objects, deletes the record and closes the account. */
  joins(&w, "US", "2020-01-01T00:00:00Z", "2010-01-01");
  cs_fact_t *in_fr = moves(&w, "FR", "2021-01-01T00:00:00Z");
  cs_fact_t *in_de = moves(&w, "DE", "2022-01-01T00:00:00Z");
  cs_fact_t *off = sets(&w, "genai_training", false, "2023-01-01T00:00:00Z");
  cs_fact_t *obj = objects(&w, "genai_training", false, "2023-01-01T00:00:00Z");
  cs_fact_t *closed = closes(&w, "2023-06-01T00:00:00Z");
  w.deleted = true;
  const char *created = "2021-06-01T00:00:00Z", *T = "2024-01-01T00:00:00Z";
  const char *g = "genai_training";

  CHECK_STR(decide_full(&w, g, "2024-02-01T00:00:00Z", CS_KIND_MESSAGE, CS_VIS_PRIVATE, T),
            "FUTURE_RECORD");
  CHECK_STR(decide_full(&w, g, created, CS_KIND_MESSAGE, CS_VIS_PRIVATE,
                        "2019-12-31T00:00:00Z"),
            "FUTURE_RECORD"); /* before joining, the record is still in the future first */
  CHECK_STR(decide_full(&w, g, "2019-06-01T00:00:00Z", CS_KIND_MESSAGE, CS_VIS_PRIVATE,
                        "2019-12-31T00:00:00Z"),
            "UNKNOWN_MEMBER");
  CHECK_STR(decide_full(&w, g, created, CS_KIND_MESSAGE, CS_VIS_PRIVATE, T), "ACCOUNT_CLOSED");
  closed->at = ts("2030-01-01T00:00:00Z");
  CHECK_STR(decide_full(&w, g, created, CS_KIND_MESSAGE, CS_VIS_PRIVATE, T), "DELETED");
  w.deleted = false;
  CHECK_STR(decide_full(&w, g, created, CS_KIND_MESSAGE, CS_VIS_PRIVATE, T), "KIND");
  CHECK_STR(decide_full(&w, g, created, CS_KIND_POST, CS_VIS_PRIVATE, T), "VISIBILITY");
  CHECK_STR(decide_full(&w, g, created, CS_KIND_POST, CS_VIS_PUBLIC, T), "JURISDICTION");
  in_de->u.location.country = cc("US");
  CHECK_STR(decide_full(&w, g, created, CS_KIND_POST, CS_VIS_PUBLIC, T),
            "JURISDICTION_AT_CREATION");
  in_fr->u.location.country = cc("CA");
  CHECK_STR(decide_full(&w, g, created, CS_KIND_POST, CS_VIS_PUBLIC, T), "MINOR");
  created = "2028-06-01T00:00:00Z"; /* written as an adult, built later */
  T = "2029-01-01T00:00:00Z";
  CHECK_STR(decide_full(&w, g, created, CS_KIND_POST, CS_VIS_PUBLIC, T), "OPTED_OUT");
  off->u.setting.value = true;
  CHECK_STR(decide_full(&w, g, created, CS_KIND_POST, CS_VIS_PUBLIC, T), "OBJECTED");
  obj->u.objection.withdrawn = true;
  CHECK_STR(decide_full(&w, g, created, CS_KIND_POST, CS_VIS_PUBLIC, T), "INCLUDED");
  world_free(&w);
}

static void test_reason_names(void) {
  const char *want[] = {"INCLUDED", "FUTURE_RECORD", "UNKNOWN_MEMBER", "ACCOUNT_CLOSED",
                        "DELETED", "KIND", "VISIBILITY", "JURISDICTION",
                        "JURISDICTION_AT_CREATION", "MINOR", "OPTED_OUT", "NOT_OPTED_IN",
                        "OBJECTED"};
  CHECK_INT(sizeof want / sizeof want[0], CS_N_REASONS);
  for (int r = 0; r < CS_N_REASONS; r++) CHECK_STR(cs_reason_name((cs_reason_t)r), want[r]);
}

RUN_TESTS(test_each_reason_in_order, test_reason_names)
