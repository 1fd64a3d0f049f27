/* Specification: the record- and member-presence rules, in order —
 * FUTURE_RECORD, UNKNOWN_MEMBER, ACCOUNT_CLOSED, DELETED, KIND, VISIBILITY —
 * each at its edges: a fact at exactly T counts, one nanosecond after does not. */
#include "policy/fixture.h"

static void test_record_written_after_T_is_future(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  CHECK_STR(decide(&w, "genai_training", "2024-06-01T00:00:00.000000001Z", "2024-06-01T00:00:00Z"),
            "FUTURE_RECORD");
  CHECK_STR(decide(&w, "genai_training", "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "INCLUDED");
  /* +02:00 is the same instant as its UTC form. */
  CHECK_STR(decide(&w, "genai_training", "2024-06-01T02:00:00+02:00", "2024-06-01T00:00:00Z"),
            "INCLUDED");
  CHECK_STR(decide(&w, "genai_training", "2024-06-01T02:00:01+02:00", "2024-06-01T00:00:00Z"),
            "FUTURE_RECORD");
  world_free(&w);
}

static void test_member_unknown_until_joined(void) {
  world_t w;
  world_init(&w);
  /* No member fact at all: records of unknown members are excluded. */
  CHECK_STR(decide(&w, "genai_training", "2024-01-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "UNKNOWN_MEMBER");
  joins(&w, "US", "2024-06-01T00:00:00Z", NULL);
  CHECK_STR(decide(&w, "genai_training", "2024-06-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "INCLUDED"); /* joined at exactly T */
  CHECK_STR(decide(&w, "genai_training", "2024-05-01T00:00:00Z", "2024-05-31T23:59:59.999999999Z"),
            "UNKNOWN_MEMBER"); /* joins 1 ns after T */
  /* A future record outranks an unknown member. */
  CHECK_STR(decide(&w, "moderation", "2024-06-02T00:00:00Z", "2024-05-01T00:00:00Z"),
            "FUTURE_RECORD");
  world_free(&w);
}

static void test_location_only_facts_do_not_make_a_member(void) {
  world_t w;
  world_init(&w);
  moves(&w, "US", "2024-01-01T00:00:00Z");
  sets(&w, "genai_training", true, "2024-01-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "UNKNOWN_MEMBER");
  world_free(&w);
}

static void test_closed_account(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  closes(&w, "2024-06-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "ACCOUNT_CLOSED"); /* closed at exactly T */
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-05-31T23:59:59.999999999Z"),
            "INCLUDED"); /* closed 1 ns after T */
  CHECK_STR(decide(&w, "moderation", "2024-02-01T00:00:00Z", "2025-01-01T00:00:00Z"),
            "ACCOUNT_CLOSED");
  world_free(&w);
}

static void test_deleted_record(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  w.deleted = true;
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "DELETED");
  closes(&w, "2024-03-01T00:00:00Z"); /* a closed account outranks a deletion */
  CHECK_STR(decide(&w, "genai_training", "2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "ACCOUNT_CLOSED");
  world_free(&w);
}

static void test_kind_and_visibility(void) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2024-01-01T00:00:00Z", NULL);
  const char *c = "2024-02-01T00:00:00Z", *T = "2024-06-01T00:00:00Z";
  CHECK_STR(decide_full(&w, "genai_training", c, CS_KIND_MESSAGE, CS_VIS_PUBLIC, T), "KIND");
  CHECK_STR(decide_full(&w, "genai_training", c, CS_KIND_FEEDBACK, CS_VIS_PUBLIC, T), "KIND");
  CHECK_STR(decide_full(&w, "genai_training", c, CS_KIND_AI_PROMPT, CS_VIS_PUBLIC, T), "KIND");
  CHECK_STR(decide_full(&w, "genai_training", c, CS_KIND_PROFILE, CS_VIS_CONNECTIONS, T),
            "INCLUDED");
  CHECK_STR(decide_full(&w, "genai_training", c, CS_KIND_ARTICLE, CS_VIS_PRIVATE, T),
            "VISIBILITY");
  /* A private message fails on KIND first: kind is checked before visibility. */
  CHECK_STR(decide_full(&w, "genai_training", c, CS_KIND_MESSAGE, CS_VIS_PRIVATE, T), "KIND");
  CHECK_STR(decide_full(&w, "personalization", c, CS_KIND_MESSAGE, CS_VIS_PRIVATE, T), "KIND");
  CHECK_STR(decide_full(&w, "moderation", c, CS_KIND_AI_PROMPT, CS_VIS_PRIVATE, T), "INCLUDED");
  CHECK_STR(decide_full(&w, "moderation", c, CS_KIND_FEEDBACK, CS_VIS_CONNECTIONS, T),
            "INCLUDED");
  world_free(&w);
}

RUN_TESTS(test_record_written_after_T_is_future, test_member_unknown_until_joined,
          test_location_only_facts_do_not_make_a_member, test_closed_account, test_deleted_record,
          test_kind_and_visibility)
