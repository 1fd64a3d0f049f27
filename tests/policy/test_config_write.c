/* Specification: the canonical INI form round-trips (write -> load gives the
 * same config) and the hash is the SHA-256 of that form, stable across
 * spellings of the same rules and different for different rules. */
#include <sodium.h>
#include <stdlib.h>

#include "policy/tmpini.h"

/* The canonical text of cfg (caller frees). */
static char *canonical(const cs_config_t *cfg) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  CHECK(mem != NULL);
  CHECK_INT(cs_config_write(cfg, mem), CS_OK);
  fclose(mem);
  return buf;
}

static void round_trip(const char *site_ini) {
  int rc;
  cs_diag_t d;
  cs_config_t *a = load_text(site_ini, &rc, &d);
  CHECK_INT(rc, CS_OK);
  CHECK_STR(d.msg, "");
  if (!a) return;
  char *text = canonical(a);
  cs_config_t *b = load_text(text, &rc, &d);
  CHECK_INT(rc, CS_OK);
  CHECK_STR(d.msg, "");
  if (b) {
    check_config_eq(a, b);
    char *again = canonical(b);
    CHECK_STR(again, text);
    free(again);
  }
  free(text);
  cs_config_free(a);
  cs_config_free(b);
}

static void test_round_trips(void) {
  round_trip("");
  round_trip("[purpose genai_training]\nopt_in = GB BR\nallowed = CA\nkinds = none\n");
  round_trip("[policy]\nnotice_days = 0\nsettings = a b c\n"
             "[purpose everything]\nkinds = post message\nvisibility = private\n"
             "default = opt_in\nsetting = b\nexcluded = US\nallowed = FR DE\nopt_out = JP\n"
             "[purpose moderation]\nsetting = none\ndefault = excluded\nallowed = US CA MX\n");
  /* A default other than the built-in one. */
  round_trip("[purpose personalization]\ndefault = excluded\nallowed = US\n");
}

static void test_canonical_text_of_defaults(void) {
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  char *text = canonical(cfg);
  CHECK(strstr(text, "[policy]\nnotice_days = 30\nsettings = genai_training\n") != NULL);
  CHECK(strstr(text, "[purpose genai_training]\nkinds = post article comment profile\n"
                     "visibility = public connections\nredaction = required\n"
                     "setting = genai_training\ndefault = opt_out\n"
                     "excluded = AT BE BG CH CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT\n"
                     "  LU LV MT NL NO PL PT RO SE SI SK\n") != NULL);
  CHECK(strstr(text, "[purpose moderation]\nkinds = post article comment profile feedback "
                     "ai_prompt\nvisibility = public connections private\nredaction = none\n"
                     "setting = none\ndefault = allowed\n") != NULL);
  free(text);
  cs_config_free(cfg);
}

static void hash_of(const char *ini, char out[65]) {
  int rc;
  cs_diag_t d;
  cs_config_t *cfg = load_text(ini, &rc, &d);
  CHECK_INT(rc, CS_OK);
  out[0] = '\0';
  if (cfg) CHECK_INT(cs_config_hash(cfg, out), CS_OK);
  cs_config_free(cfg);
}

static void test_hash(void) {
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  char h[65], h2[65], want[65];
  CHECK_INT(cs_config_hash(cfg, h), CS_OK);
  /* It is the SHA-256 of the canonical text, in lowercase hex. */
  char *text = canonical(cfg);
  unsigned char dg[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(dg, (const unsigned char *)text, strlen(text));
  sodium_bin2hex(want, sizeof want, dg, sizeof dg);
  CHECK_STR(h, want);
  CHECK_INT(strlen(h), 64);
  free(text);
  /* The same rules spelled differently hash the same. */
  hash_of("", h2);
  CHECK_STR(h2, h);
  hash_of("[group g]\ncountries = FR\n[purpose genai_training]\nexcluded = @g\n"
          "kinds = comment post\nkinds = profile, article\n",
          h2);
  CHECK_STR(h2, h);
  /* Different rules hash differently. */
  hash_of("[purpose genai_training]\nexcluded = US\n", h2);
  CHECK(strcmp(h2, h) != 0);
  hash_of("[policy]\nnotice_days = 31\n", h2);
  CHECK(strcmp(h2, h) != 0);
  cs_config_free(cfg);
}

static void test_unwritable_notice(void) {
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  cfg->notice = CS_NS_PER_DAY + 1; /* not a whole number of days */
  char h[65];
  CHECK_INT(cs_config_hash(cfg, h), CS_ERANGE);
  cs_config_free(cfg);
}

RUN_TESTS(test_round_trips, test_canonical_text_of_defaults, test_hash, test_unwritable_notice)
