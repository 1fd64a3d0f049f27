/* Specification: MINOR — a member younger than 18 on the UTC day a record was
 * written is excluded; the 18th birthday itself is adult; no birth date is
 * adult; 29 February birthdays come of age on 1 March in common years. */
#include "policy/fixture.h"

static const char *at_created(const char *birth, const char *created) {
  world_t w;
  world_init(&w);
  joins(&w, "US", "2000-01-01T00:00:00Z", birth);
  static char reason[32];
  snprintf(reason, sizeof reason, "%s", decide(&w, "genai_training", created, "2030-01-01T00:00:00Z"));
  world_free(&w);
  return reason;
}

static void test_birthday_is_adult_day_before_is_minor(void) {
  CHECK_STR(at_created("2006-05-10", "2024-05-10T00:00:00Z"), "INCLUDED");
  CHECK_STR(at_created("2006-05-10", "2024-05-09T23:59:59.999999999Z"), "MINOR");
  /* The day is the UTC day: 01:00+02:00 on the 10th is still the 9th in UTC. */
  CHECK_STR(at_created("2006-05-10", "2024-05-10T01:00:00+02:00"), "MINOR");
  CHECK_STR(at_created("2006-05-10", "2024-05-10T02:00:00+02:00"), "INCLUDED");
}

static void test_age_is_taken_when_the_record_was_written(void) {
  /* Written at 17, built long after turning 18: still excluded. */
  CHECK_STR(at_created("2006-05-10", "2023-05-10T12:00:00Z"), "MINOR");
  CHECK_STR(at_created("1990-01-01", "2024-05-10T12:00:00Z"), "INCLUDED");
}

static void test_no_birth_date_is_adult(void) {
  CHECK_STR(at_created(NULL, "2024-05-10T12:00:00Z"), "INCLUDED");
}

static void test_29_february(void) {
  /* 2006 + 18 = 2024, a leap year: of age on 29 February. */
  CHECK_STR(at_created("2006-02-28", "2024-02-28T00:00:00Z"), "INCLUDED");
  CHECK_STR(at_created("2004-02-29", "2022-02-28T23:00:00Z"), "MINOR");
  CHECK_STR(at_created("2004-02-29", "2022-03-01T00:00:00Z"), "INCLUDED");
  CHECK_STR(at_created("2006-02-28", "2024-02-27T23:59:59Z"), "MINOR");
}

static void test_minor_after_jurisdiction_before_choices(void) {
  world_t w;
  world_init(&w);
  joins(&w, "FR", "2020-01-01T00:00:00Z", "2010-01-01");
  CHECK_STR(decide(&w, "genai_training", "2021-01-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "JURISDICTION");
  world_free(&w);
  world_init(&w);
  joins(&w, "US", "2020-01-01T00:00:00Z", "2010-01-01");
  sets(&w, "genai_training", false, "2021-06-01T00:00:00Z");
  objects(&w, "genai_training", false, "2021-06-01T00:00:00Z");
  CHECK_STR(decide(&w, "genai_training", "2021-01-01T00:00:00Z", "2024-06-01T00:00:00Z"),
            "MINOR");
  world_free(&w);
}

RUN_TESTS(test_birthday_is_adult_day_before_is_minor, test_age_is_taken_when_the_record_was_written,
          test_no_birth_date_is_adult, test_29_february, test_minor_after_jurisdiction_before_choices)
