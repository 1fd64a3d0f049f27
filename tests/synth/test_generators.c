/* Specification of the synth generators: check digits, national formats,
 * case mapping, code point offsets, JSON escaping and the templates. */
#include <json-c/json.h>

#include "check.h"
#include "synth/synth_int.h"
#include "synth_util.h"

static cs__text_t text;

/* Runs gen n times on a fresh text; calls verify on each single span. */
static void each(void (*gen)(cs__text_t *, cs__rng_t *), cs_label_t type, int n,
                 bool (*verify)(const char *, size_t)) {
  cs__rng_t r;
  cs__rng_seed(&r, 42, (uint64_t)type);
  for (int i = 0; i < n; i++) {
    memset(&text, 0, sizeof text);
    cs__tx_str(&text, "x ");
    gen(&text, &r);
    CHECK_INT(text.n_pii + text.n_look, 1);
    cs__span_t s = type < CS_SYNTH_N_PII ? text.pii[0] : text.look[0];
    CHECK_INT(s.type, type);
    CHECK_INT(s.start, 2);
    CHECK_INT(s.end, text.len);
    if (!verify(text.s + s.start, s.end - s.start)) {
      CHECK(!"span fails its validator");
      fprintf(stderr, "  %s: \"%.*s\"\n", cs_label_name(type), (int)(s.end - s.start),
              text.s + s.start);
      return;
    }
  }
}

static bool card_ok(const char *s, size_t n) {
  char d[32];
  size_t k = digits_of(s, n, d, sizeof d);
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]) && s[i] != ' ' && s[i] != '-') return false;
  bool brand = d[0] == '4' || (d[0] == '5' && d[1] >= '1' && d[1] <= '5') || d[0] == '2' ||
               (d[0] == '3' && (d[1] == '4' || d[1] == '7') && k == 15) ||
               (d[0] == '3' && d[1] == '6' && k == 14) || !memcmp(d, "35", 2) ||
               !memcmp(d, "6011", 4) || !memcmp(d, "65", 2);
  return k >= 13 && k <= 19 && brand && t_luhn(d, k);
}

static bool order_ok(const char *s, size_t n) {
  char d[32];
  size_t k = digits_of(s, n, d, sizeof d);
  return k >= 12 && !t_luhn(d, k);
}

static bool phone_ok(const char *s, size_t n) {
  char d[32];
  size_t k = digits_of(s, n, d, sizeof d);
  for (size_t i = 0; i < n; i++)
    if (!strchr("0123456789+-() .", s[i])) return false;
  return k >= 9 && k <= 13 && (s[0] == '+' || s[0] == '0' || s[0] == '(' || isdigit((unsigned char)s[0]));
}

static bool ip_ok(const char *s, size_t n) {
  int dots = 0, colons = 0;
  for (size_t i = 0; i < n; i++) {
    dots += s[i] == '.';
    colons += s[i] == ':';
    if (!isxdigit((unsigned char)s[i]) && s[i] != '.' && s[i] != ':') return false;
  }
  return (dots == 3 && colons == 0) || (colons >= 2 && dots == 0);
}

static bool has_digit_and_comma(const char *s, size_t n) {
  return memchr(s, ',', n) && strpbrk(s, "0123456789");
}

static bool nonempty(const char *s, size_t n) { return n > 0 && s[0] != ' ' && s[n - 1] != ' '; }
static bool iso_ok(const char *s, size_t n) { return n > 4 && !memcmp(s, "ISO", 3); }
static bool pct_ok(const char *s, size_t n) { return n >= 2 && s[n - 1] == '%'; }

static void test_pii_validators(void) {
  each(cs__pii_card, CS_LABEL_CREDIT_CARD, 5000, card_ok);
  each(cs__pii_iban, CS_LABEL_IBAN, 5000, t_iban);
  each(cs__pii_ssn, CS_LABEL_SSN, 5000, t_ssn);
  each(cs__pii_nino, CS_LABEL_NINO, 5000, t_nino);
  each(cs__pii_phone, CS_LABEL_PHONE, 2000, phone_ok);
  each(cs__pii_ip, CS_LABEL_IP, 2000, ip_ok);
  each(cs__pii_address, CS_LABEL_ADDRESS, 2000, has_digit_and_comma);
  each(cs__pii_url, CS_LABEL_URL, 2000, nonempty);
}

static void test_lookalikes(void) {
  each(cs__look_order, CS_LABEL_ORDER_NUMBER, 20000, order_ok);
  each(cs__look_iso, CS_LABEL_ISO_STANDARD, 500, iso_ok);
  each(cs__look_percent, CS_LABEL_PERCENT, 500, pct_ok);
  each(cs__look_date, CS_LABEL_DATE, 500, nonempty);
  each(cs__look_money, CS_LABEL_MONEY, 500, nonempty);
  each(cs__look_city, CS_LABEL_CITY, 500, nonempty);
  each(cs__look_company, CS_LABEL_COMPANY, 500, nonempty);
}

static void test_known_check_digits(void) {
  const char *iban = "GB82 WEST 1234 5698 7654 32"; /* the ISO 13616 example */
  CHECK(t_iban(iban, strlen(iban)));
  CHECK(cs__iban_ok(iban, strlen(iban)));
  CHECK(!cs__iban_ok("GB83 WEST 1234 5698 7654 32", 27));
  CHECK(cs__luhn_ok("4111 1111 1111 1111", 19));
  CHECK(!cs__luhn_ok("4111 1111 1111 1112", 19));
  CHECK_INT(cs__luhn_digit("7992739871", 10), 3);
}

static void cased(const char *in, bool upper, const char *want) {
  memset(&text, 0, sizeof text);
  cs__tx_case(&text, in, upper);
  text.s[text.len] = '\0';
  CHECK_STR(text.s, want);
}

static void test_case_mapping(void) {
  cased("Müller", true, "MÜLLER");
  cased("ÁGNES", false, "ágnes");
  cased("Nguyễn", true, "NGUYỄN");
  cased("Łukasz Wiśniewski", false, "łukasz wiśniewski");
  cased("Łukasz Wiśniewski", true, "ŁUKASZ WIŚNIEWSKI");
  cased("Dvořák", true, "DVOŘÁK");
  cased("Yılmaz", true, "YıLMAZ"); /* dotless i has no simple partner: kept */
  cased("Ødegaard", false, "ødegaard");
}

static void test_code_points(void) {
  memset(&text, 0, sizeof text);
  cs__tx_str(&text, "Zoë in São Paulo 🎉 👩‍💻: ");
  size_t start = text.len;
  cs__tx_str(&text, "anna@example.com");
  cs__tx_label(&text, CS_LABEL_EMAIL, start);
  cs__tx_str(&text, " ");
  start = text.len;
  cs__tx_str(&text, "Müller");
  cs__tx_label(&text, CS_LABEL_PERSON, start);
  cs__tx_to_code_points(&text);
  /* "Zoë in São Paulo " is 17 code points, 🎉 1, space 1, 👩‍💻 3, ": " 2. */
  CHECK_INT(text.pii[0].start, 24);
  CHECK_INT(text.pii[0].end, 40);
  CHECK_INT(text.pii[1].start, 41);
  CHECK_INT(text.pii[1].end, 47);
}

static void test_json_escaping(void) {
  const char s[] = "He said \"hi\"\\ \n\ttab \x01 Zoë 🎉 \x7f end";
  char out[512];
  char *e = cs__w_json(out, s, sizeof s - 1);
  *e = '\0';
  json_object *o = json_tokener_parse(out);
  CHECK(o != NULL);
  if (o) CHECK_STR(json_object_get_string(o), s);
  json_object_put(o);
}

static void test_times(void) {
  char b[64];
  char *e = cs__w_time(b, 1714564800, 0);
  *e = '\0';
  CHECK_STR(b, "2024-05-01T12:00:00Z");
  e = cs__w_time(b, 1714564800, 120);
  *e = '\0';
  CHECK_STR(b, "2024-05-01T14:00:00+02:00");
  e = cs__w_time(b, 1714564800, -330);
  *e = '\0';
  CHECK_STR(b, "2024-05-01T06:30:00-05:30");
}

static void test_templates(void) {
  cs__people_t p;
  CHECK_INT(cs__people_init(&p, 10, 1), CS_OK);
  cs__rng_t r;
  cs__rng_seed(&r, 1, 1);
  memset(&text, 0, sizeof text);
  cs__gen_t g = {.t = &text, .r = &r, .people = &p, .author = 3};
  CHECK_INT(cs__text_selfcheck(&g), 0);
  CHECK_INT(cs__text_expand(&g, "{NOPE} and {X}"), 2);
  cs__people_free(&p);
}

static void test_rng(void) {
  cs__rng_t a, b;
  cs__rng_seed(&a, 7, 1);
  cs__rng_seed(&b, 7, 1);
  for (int i = 0; i < 100; i++) CHECK(cs__rng_next(&a) == cs__rng_next(&b));
  cs__rng_seed(&b, 7, 2);
  CHECK(cs__rng_next(&a) != cs__rng_next(&b));
  for (int i = 0; i < 1000; i++) CHECK(cs__rng_below(&a, 7) < 7);
}

RUN_TESTS(test_pii_validators, test_lookalikes, test_known_check_digits, test_case_mapping,
          test_code_points, test_json_escaping, test_times, test_templates, test_rng)
