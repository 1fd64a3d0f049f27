/* Specification of ISO 3166-1 alpha-2 validation. */
#include <consentry/country.h>

#include "check.h"

static void count(void *ctx, cs_country_t c) {
  (void)c;
  ++*(int *)ctx;
}

static void test_official_list(void) {
  int n = 0;
  cs_country_each(count, &n);
  CHECK_INT(n, 249);
  cs_country_t c;
  char s[3];
  CHECK_INT(cs_country_parse("DE", 2, &c), CS_OK);
  cs_country_str(c, s);
  CHECK_STR(s, "DE");
  CHECK_INT(cs_country_parse("GB", 2, &c), CS_OK);
  CHECK_INT(cs_country_parse("NG", 2, &c), CS_OK);
  CHECK_INT(cs_country_parse("AX", 2, &c), CS_OK);
}

static void test_rejects_unassigned_and_malformed(void) {
  cs_country_t c = 7;
  CHECK(cs_country_parse("UK", 2, &c) < 0); /* exceptionally reserved */
  CHECK(cs_country_parse("EU", 2, &c) < 0);
  CHECK(cs_country_parse("XK", 2, &c) < 0); /* user-assigned */
  CHECK(cs_country_parse("ZZ", 2, &c) < 0);
  CHECK(cs_country_parse("de", 2, &c) < 0);
  CHECK(cs_country_parse("DEU", 3, &c) < 0);
  CHECK(cs_country_parse("D", 1, &c) < 0);
  CHECK_INT(c, 7);
  char s[3];
  cs_country_str(CS_COUNTRY_NONE, s);
  CHECK_STR(s, "");
}

RUN_TESTS(test_official_list, test_rejects_unassigned_and_malformed)
