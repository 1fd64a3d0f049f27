/* Specification: the spellings of kinds, visibilities and rules, which appear
 * in content records and config files; parsing is exact and case-sensitive. */
#include <consentry/policy.h>

#include "check.h"

static void test_kinds(void) {
  const char *want[] = {"post", "article", "comment", "message", "profile", "feedback",
                        "ai_prompt"};
  CHECK_INT(sizeof want / sizeof want[0], CS_N_KINDS);
  for (int k = 0; k < CS_N_KINDS; k++) {
    cs_kind_t got = CS_N_KINDS;
    CHECK_STR(cs_kind_name((cs_kind_t)k), want[k]);
    CHECK_INT(cs_kind_parse(want[k], strlen(want[k]), &got), CS_OK);
    CHECK_INT(got, k);
  }
  cs_kind_t k = CS_KIND_POST;
  CHECK_INT(cs_kind_parse("Post", 4, &k), CS_EINVAL);
  CHECK_INT(cs_kind_parse("posts", 5, &k), CS_EINVAL);
  CHECK_INT(cs_kind_parse("pos", 3, &k), CS_EINVAL);
  CHECK_INT(cs_kind_parse("", 0, &k), CS_EINVAL);
  CHECK_INT(cs_kind_parse("article!", 7, &k), CS_OK); /* len bounds the name */
  CHECK_INT(k, CS_KIND_ARTICLE);
}

static void test_visibilities(void) {
  const char *want[] = {"public", "connections", "private"};
  for (int v = 0; v < CS_N_VIS; v++) {
    cs_visibility_t got = CS_N_VIS;
    CHECK_STR(cs_visibility_name((cs_visibility_t)v), want[v]);
    CHECK_INT(cs_visibility_parse(want[v], strlen(want[v]), &got), CS_OK);
    CHECK_INT(got, v);
  }
  cs_visibility_t v = CS_VIS_PRIVATE;
  CHECK_INT(cs_visibility_parse("friends", 7, &v), CS_EINVAL);
  CHECK_INT(v, CS_VIS_PRIVATE);
}

static void test_rules(void) {
  CHECK_STR(cs_rule_name(CS_RULE_EXCLUDED), "excluded");
  CHECK_STR(cs_rule_name(CS_RULE_OPT_OUT), "opt_out");
  CHECK_STR(cs_rule_name(CS_RULE_OPT_IN), "opt_in");
  CHECK_STR(cs_rule_name(CS_RULE_ALLOWED), "allowed");
}

RUN_TESTS(test_kinds, test_visibilities, test_rules)
