/* Specification of the validating JSON object scanner. json-c (strict mode)
 * is the oracle for what must be accepted; for rejection RFC 8259 is, since
 * json-c still takes "1.", single quotes and raw control characters. */
#include <json-c/json.h>
#include <stdlib.h>

#include "check.h"
#include "core/jscan.h"

static bool jscan_accepts(const char *s) {
  size_t at;
  const char *what;
  cs_jscan_field_t f = {.name = "x"};
  return cs_jscan_object(s, strlen(s), &f, 1, &at, &what) == CS_OK;
}

static bool jsonc_accepts_object(const char *s) {
  json_tokener *tok = json_tokener_new();
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  json_object *o = json_tokener_parse_ex(tok, s, (int)strlen(s));
  bool ok = o && json_tokener_get_error(tok) == json_tokener_success &&
            json_object_is_type(o, json_type_object) && (size_t)tok->char_offset == strlen(s);
  json_object_put(o);
  json_tokener_free(tok);
  return ok;
}

static const char *const valid[] = {
    "{}", " { } ", "{\"a\":1}", "{\"a\":-0.5e+10,\"b\":[1,2,{\"c\":null}],\"d\":true,\"e\":false}",
    "{\"s\":\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\"}",
    "{\"x\":\"a long string that is longer than sixteen bytes, so the wide path runs\"}",
    "{\"x\":\"caf\xc3\xa9\"}", "{\"x\":[]}", "{\"x\":{}}", "{\"a\":0,\"a\":1}",
};

static const char *const invalid[] = {
    "", "[]", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}",
    "{\"a\":.5}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}",
    "{\"a\":\"tab\there\"}", "{\"a\":\"unterminated}", "{'a':1}", "{a:1}", "{\"a\":1} x",
    "{\"a\":1}{}", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":1e}", "{\"a\":-}", "{\"a\" 1}",
    "{\"a\":\"x\",\"b\":\"new\nline\"}",
};

static void test_agrees_with_json_c(void) {
  for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
    CHECK(jsonc_accepts_object(valid[i]));
    if (!jscan_accepts(valid[i])) fprintf(stderr, "  rejected valid: %s\n", valid[i]);
    CHECK(jscan_accepts(valid[i]));
  }
  for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
    if (jscan_accepts(invalid[i])) fprintf(stderr, "  accepted invalid: %s\n", invalid[i]);
    CHECK(!jscan_accepts(invalid[i]));
  }
}

static void test_fields_and_errors(void) {
  const char *s = "{\"id\":\"r\\u00e9\",\"n\":12,\"text\":\"x\",\"deep\":{\"id\":\"inner\"},\"id2\":null}";
  cs_jscan_field_t f[4] = {{.name = "id"}, {.name = "n"}, {.name = "missing"}, {.name = "id2"}};
  size_t at;
  const char *what;
  CHECK_INT(cs_jscan_object(s, strlen(s), f, 4, &at, &what), CS_OK);
  CHECK_INT(f[0].type, CS_JSON_STRING);
  CHECK(f[0].escaped);
  char out[16];
  size_t n;
  CHECK_INT(cs_jscan_unescape(f[0].raw, f[0].raw_len, out, sizeof out, &n), CS_OK);
  CHECK_INT(n, 3);
  CHECK(memcmp(out, "r\xc3\xa9", 3) == 0);
  CHECK_INT(f[1].type, CS_JSON_NUMBER);
  CHECK_INT(f[1].raw_len, 2);
  CHECK_INT(f[2].type, CS_JSON_ABSENT); /* nested keys are not top-level fields */
  CHECK_INT(f[3].type, CS_JSON_NULL);
  CHECK_INT(cs_jscan_unescape("\\ud83d\\ude00", 12, out, sizeof out, &n), CS_OK);
  CHECK_INT(n, 4);
  CHECK(memcmp(out, "\xf0\x9f\x98\x80", 4) == 0);
  CHECK_INT(cs_jscan_unescape("abcdef", 6, out, 3, &n), CS_ERANGE);
  const char *bad = "{\"a\":1,\"b\":tx}";
  CHECK_INT(cs_jscan_object(bad, strlen(bad), f, 0, &at, &what), CS_EINVAL);
  CHECK_INT(at, 11);
}

/* Strings of every length around the 16-byte stride, with the special byte at
 * every position: the wide path must find exactly what the scalar one does. */
static void test_stride_boundaries(void) {
  char buf[128];
  for (int len = 0; len < 40; len++)
    for (int pos = -1; pos < len; pos++) {
      int n = snprintf(buf, sizeof buf, "{\"k\":\"");
      for (int i = 0; i < len; i++) buf[n++] = (char)(i == pos ? '\t' : 'a');
      n += snprintf(buf + n, sizeof buf - (size_t)n, "\"}");
      CHECK(jscan_accepts(buf) == (pos < 0));
    }
}

static void test_deep_nesting_is_bounded(void) {
  char buf[400];
  int n = snprintf(buf, sizeof buf, "{\"a\":");
  for (int i = 0; i < 100; i++) buf[n++] = '[';
  for (int i = 0; i < 100; i++) buf[n++] = ']';
  buf[n++] = '}';
  buf[n] = 0;
  CHECK(!jscan_accepts(buf));
}

RUN_TESTS(test_agrees_with_json_c, test_fields_and_errors, test_stride_boundaries,
          test_deep_nesting_is_bounded)
