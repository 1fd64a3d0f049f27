/* Specification of RFC 3339 instants and dates. */
#include <consentry/time.h>

#include "check.h"

static cs_time_t t(const char *s) {
  cs_time_t v = 0;
  CHECK_INT(cs_time_parse(s, strlen(s), &v), CS_OK);
  return v;
}

static void rejects(const char *s) {
  cs_time_t v = 42;
  CHECK(cs_time_parse(s, strlen(s), &v) < 0);
  CHECK_INT(v, 42);
}

static void test_epoch_and_offsets(void) {
  CHECK_INT(t("1970-01-01T00:00:00Z"), 0);
  CHECK_INT(t("2024-05-01T12:00:00+02:00"), t("2024-05-01T10:00:00Z"));
  CHECK_INT(t("2024-05-01T00:30:00-01:00"), t("2024-05-01T01:30:00Z"));
  CHECK_INT(t("2024-05-01t10:00:00z"), t("2024-05-01T10:00:00Z"));
  CHECK_INT(t("2024-01-01T00:00:00.5Z") - t("2024-01-01T00:00:00Z"), CS_NS_PER_SEC / 2);
  CHECK_INT(t("2024-01-01T00:00:00.123456789Z") - t("2024-01-01T00:00:00Z"), 123456789);
  CHECK_INT(t("1969-12-31T23:59:59Z"), -CS_NS_PER_SEC);
}

static void test_rejects_malformed(void) {
  rejects("");
  rejects("2024-05-01");
  rejects("2024-05-01T12:00:00");        /* no offset */
  rejects("2024-05-01 12:00:00Z");       /* space separator */
  rejects("2023-02-29T00:00:00Z");       /* not a leap year */
  rejects("2024-13-01T00:00:00Z");
  rejects("2024-04-31T00:00:00Z");
  rejects("2024-05-01T24:00:00Z");
  rejects("2024-05-01T23:60:00Z");
  rejects("2024-05-01T23:59:60Z");       /* leap seconds are not representable */
  rejects("2024-05-01T12:00:00.Z");
  rejects("2024-05-01T12:00:00+0200");
  rejects("2024-05-01T12:00:00Zjunk");
  rejects("9999-01-01T00:00:00Z");       /* outside the int64 nanosecond range */
}

static void test_format_round_trip(void) {
  char buf[CS_TIME_STR_MAX];
  cs_time_format(t("2024-05-01T12:00:00+02:00"), buf);
  CHECK_STR(buf, "2024-05-01T10:00:00Z");
  cs_time_format(t("2024-05-01T12:00:00.250Z"), buf);
  CHECK_STR(buf, "2024-05-01T12:00:00.25Z");
  cs_time_format(-1, buf);
  CHECK_STR(buf, "1969-12-31T23:59:59.999999999Z");
}

static void test_dates_and_birthdays(void) {
  int32_t d;
  CHECK_INT(cs_date_parse("1970-01-02", 10, &d), CS_OK);
  CHECK_INT(d, 1);
  CHECK(cs_date_parse("2001-02-29", 10, &d) < 0);
  CHECK_INT(cs_time_day(t("2024-03-15T23:59:59Z")), cs_days_from_civil(2024, 3, 15));
  CHECK_INT(cs_time_day(-1), -1);
  CHECK_INT(cs_date_add_years(cs_days_from_civil(2006, 3, 15), 18), cs_days_from_civil(2024, 3, 15));
  /* Born on 29 Feb: of age on 1 March in a common year, on 29 Feb in a leap year. */
  CHECK_INT(cs_date_add_years(cs_days_from_civil(2004, 2, 29), 18), cs_days_from_civil(2022, 3, 1));
  CHECK_INT(cs_date_add_years(cs_days_from_civil(2004, 2, 29), 20), cs_days_from_civil(2024, 2, 29));
  int64_t y;
  unsigned m, dd;
  cs_civil_from_days(cs_days_from_civil(1600, 2, 29), &y, &m, &dd);
  CHECK_INT(y, 1600);
  CHECK_INT(m, 2);
  CHECK_INT(dd, 29);
}

RUN_TESTS(test_epoch_and_offsets, test_rejects_malformed, test_format_round_trip,
          test_dates_and_birthdays)
