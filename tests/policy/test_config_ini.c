/* Specification: loading a purposes INI file over the built-in defaults
 * (docs/CONFIG.md), and its errors, each naming PATH:LINE and the key. */
#include <stdlib.h>

#include "policy/tmpini.h"

static cs_rule_t rule(const cs_config_t *cfg, const char *purpose, const char *country) {
  size_t p = 0;
  cs_country_t c = CS_COUNTRY_NONE;
  CHECK_INT(cs_config_purpose(cfg, purpose, &p), CS_OK);
  CHECK_INT(cs_country_parse(country, 2, &c), CS_OK);
  return cs_config_rule(cfg, p, c);
}

static void test_example_file_is_the_defaults(void) {
  const char *src = getenv("CS_SOURCE");
  char path[4096];
  snprintf(path, sizeof path, "%s/docs/purposes.example.ini", src ? src : ".");
  cs_config_t *loaded = NULL, *def = NULL;
  cs_diag_t d = {""};
  CHECK_INT(cs_config_load(path, &loaded, &d), CS_OK);
  CHECK_STR(d.msg, "");
  CHECK_INT(cs_config_default(&def), CS_OK);
  if (loaded && def) check_config_eq(loaded, def);
  cs_config_free(loaded);
  cs_config_free(def);
}

static void test_empty_file_is_the_defaults(void) {
  int rc;
  cs_diag_t d;
  cs_config_t *def = NULL, *cfg = load_text("; nothing to change\n", &rc, &d);
  CHECK_INT(rc, CS_OK);
  CHECK_INT(cs_config_default(&def), CS_OK);
  if (cfg) check_config_eq(cfg, def);
  cs_config_free(cfg);
  cs_config_free(def);
}

static void test_override_only_given_keys(void) {
  int rc;
  cs_diag_t d;
  cs_config_t *cfg = load_text("[policy]\nnotice_days = 45\n"
                               "[purpose genai_training]\n"
                               "opt_in = GB BR ; inline comment\n"
                               "excluded = CA,\n  MX\n"
                               "kinds = post\nkinds = article\n",
                               &rc, &d);
  CHECK_INT(rc, CS_OK);
  CHECK_STR(d.msg, "");
  if (!cfg) return;
  CHECK_INT(cfg->notice, 45 * CS_NS_PER_DAY);
  CHECK_INT(rule(cfg, "genai_training", "GB"), CS_RULE_OPT_IN);
  CHECK_INT(rule(cfg, "genai_training", "BR"), CS_RULE_OPT_IN);
  CHECK_INT(rule(cfg, "genai_training", "CA"), CS_RULE_EXCLUDED);
  CHECK_INT(rule(cfg, "genai_training", "MX"), CS_RULE_EXCLUDED); /* continuation line */
  CHECK_INT(rule(cfg, "genai_training", "FR"), CS_RULE_EXCLUDED); /* untouched */
  CHECK_INT(rule(cfg, "genai_training", "US"), CS_RULE_OPT_OUT);
  size_t p = 0;
  CHECK_INT(cs_config_purpose(cfg, "genai_training", &p), CS_OK);
  CHECK_INT(cfg->purposes[p].kinds, (1u << CS_KIND_POST) | (1u << CS_KIND_ARTICLE));
  CHECK_INT(cfg->purposes[p].visibilities, (1u << CS_VIS_PUBLIC) | (1u << CS_VIS_CONNECTIONS));
  CHECK(cfg->purposes[p].redaction);
  CHECK_INT(cfg->n_purposes, 3);
  cs_config_free(cfg);
}

static void test_default_then_lists_in_file_order(void) {
  int rc;
  cs_diag_t d;
  cs_config_t *cfg = load_text("[group nordics]\ncountries = DK FI IS NO SE\n"
                               "[group north]\ncountries = @nordics GL\n"
                               "[purpose moderation]\ndefault = opt_out\nsetting = mod_training\n"
                               "excluded = @north\nallowed = NO\n",
                               &rc, &d);
  CHECK_INT(rc, CS_OK);
  CHECK_STR(d.msg, "");
  if (!cfg) return;
  CHECK_INT(rule(cfg, "moderation", "US"), CS_RULE_OPT_OUT);
  CHECK_INT(rule(cfg, "moderation", "GL"), CS_RULE_EXCLUDED);
  CHECK_INT(rule(cfg, "moderation", "SE"), CS_RULE_EXCLUDED);
  CHECK_INT(rule(cfg, "moderation", "NO"), CS_RULE_ALLOWED);
  size_t s = 9;
  CHECK_INT(cs_config_setting(cfg, "mod_training", &s), CS_OK);
  CHECK_INT(s, 1);
  CHECK_INT(cfg->n_settings, 2);
  cs_config_free(cfg);
}

static void test_new_purpose_starts_closed(void) {
  int rc;
  cs_diag_t d;
  cs_config_t *cfg = load_text("[purpose spam_filter]\n"
                               "[purpose ads]\nkinds = post comment\nvisibility = public\n"
                               "redaction = required\ndefault = allowed\nexcluded = FR\n",
                               &rc, &d);
  CHECK_INT(rc, CS_OK);
  CHECK_STR(d.msg, "");
  if (!cfg) return;
  CHECK_INT(cfg->n_purposes, 5);
  size_t p = 0;
  CHECK_INT(cs_config_purpose(cfg, "spam_filter", &p), CS_OK);
  CHECK_INT(p, 3);
  CHECK_INT(cfg->purposes[p].kinds, 0);
  CHECK_INT(cfg->purposes[p].visibilities, 0);
  CHECK_INT(cfg->purposes[p].setting, -1);
  CHECK_INT(rule(cfg, "spam_filter", "US"), CS_RULE_EXCLUDED);
  CHECK_INT(cs_config_purpose(cfg, "ads", &p), CS_OK);
  CHECK_INT(cfg->purposes[p].kinds, (1u << CS_KIND_POST) | (1u << CS_KIND_COMMENT));
  CHECK(cfg->purposes[p].redaction);
  CHECK_INT(rule(cfg, "ads", "US"), CS_RULE_ALLOWED);
  CHECK_INT(rule(cfg, "ads", "FR"), CS_RULE_EXCLUDED);
  cs_config_free(cfg);
}

/* Loading text must fail with rc and exactly the message want. */
static void fails(const char *text, int want_rc, const char *want) {
  int rc;
  cs_diag_t d;
  cs_config_t *cfg = load_text(text, &rc, &d);
  CHECK_INT(rc, want_rc);
  CHECK(cfg == NULL);
  CHECK_STR(d.msg, want);
  cs_config_free(cfg);
}

static void test_errors_name_path_line_and_key(void) {
  fails("[purpose genai_training]\nexcluded = FR UK\n", CS_EINVAL,
        "F:2: excluded: expected ISO 3166-1 alpha-2 country codes or @group, got 'UK'");
  fails("[purpose genai_training]\n\n; c\ncolour = blue\n", CS_EINVAL,
        "F:4: colour: expected default, excluded, opt_out, opt_in, allowed, setting, kinds, "
        "visibility or redaction in [purpose]");
  fails("[policy]\nnotice_days = -1\n", CS_EINVAL,
        "F:2: notice_days: expected a whole number of days from 0 to 36500, got '-1'");
  fails("[policy]\nnotice_days = 30d\n", CS_EINVAL,
        "F:2: notice_days: expected a whole number of days from 0 to 36500, got '30d'");
  fails("[policy]\nnotice_days = 1\nnotice_days = 2\n", CS_EINVAL,
        "F:3: notice_days: expected one value, given twice");
  fails("[policy]\nretention = 3\n", CS_EINVAL,
        "F:2: retention: expected notice_days or settings in [policy]");
  fails("\n[purposes genai_training]\nkinds = post\n", CS_EINVAL,
        "F:2: section: expected [policy], [group NAME] or [purpose NAME]");
  fails("[purpose Genai]\n", CS_EINVAL,
        "F:1: [purpose]: expected a purpose name of a-z, 0-9 and _, got 'Genai'");
  fails("kinds = post\n", CS_EINVAL, "F:1: kinds: expected a [section] before the first key");
  fails("[purpose moderation]\nkinds = post tweet\n", CS_EINVAL,
        "F:2: kinds: expected none or kinds among post, article, comment, message, profile, "
        "feedback, ai_prompt, got 'tweet'");
  fails("[purpose moderation]\nvisibility = friends\n", CS_EINVAL,
        "F:2: visibility: expected none or visibilities among public, connections, private, "
        "got 'friends'");
  fails("[purpose moderation]\ndefault = maybe\n", CS_EINVAL,
        "F:2: default: expected excluded, opt_out, opt_in or allowed, got 'maybe'");
  fails("[purpose moderation]\nredaction = yes\n", CS_EINVAL,
        "F:2: redaction: expected required or none, got 'yes'");
  fails("[purpose moderation]\nexcluded = @eu\n", CS_EINVAL,
        "F:2: excluded: expected a group defined above, no group '@eu'");
  fails("[group g]\ncountries = FR\n[group g]\n", CS_EINVAL,
        "F:3: [group]: expected each group defined once, 'g' is already defined");
  fails("[purpose genai_training]\nsetting = none\n", CS_EINVAL,
        "F:1: setting: expected a setting for purpose 'genai_training', which has opt_in or "
        "opt_out countries");
  fails("[purpose x]\nkinds = post\n[purpose x]\nopt_in = US\n", CS_EINVAL,
        "F:3: setting: expected a setting for purpose 'x', which has opt_in or opt_out "
        "countries");
  fails("[policy\n", CS_EINVAL, "F:1: line: expected '[section]' or 'key = value'");
  fails("[policy]\njust words\n", CS_EINVAL, "F:2: line: expected '[section]' or 'key = value'");
}

static void test_limits(void) {
  char text[8192] = "[policy]\nexcluded = ";
  size_t n = strlen(text);
  for (int i = 0; i < 70; i++) n += (size_t)snprintf(text + n, sizeof text - n, "FR ");
  snprintf(text + n, sizeof text - n, "\n");
  fails(text, CS_EINVAL,
        "F:2: line: expected at most 197 characters; continue long lists on indented lines");
  n = 0;
  for (int i = 0; i < 30; i++) n += (size_t)snprintf(text + n, sizeof text - n, "[purpose p%d]\n", i);
  fails(text, CS_EINVAL, "F:30: [purpose]: expected at most 32 purposes, 'p29' is one too many");
  cs_config_t *cfg = NULL;
  cs_diag_t d = {""};
  CHECK_INT(cs_config_load("/nonexistent/purposes.ini", &cfg, &d), CS_ENOTFOUND);
  CHECK(strncmp(d.msg, "/nonexistent/purposes.ini: cannot open", 38) == 0);
  CHECK(cfg == NULL);
}

RUN_TESTS(test_example_file_is_the_defaults, test_empty_file_is_the_defaults,
          test_override_only_given_keys, test_default_then_lists_in_file_order,
          test_new_purpose_starts_closed, test_errors_name_path_line_and_key, test_limits)
