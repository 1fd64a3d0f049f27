/* test_jsonl.c — only "text" changes; everything else is byte for byte. */
#include "redact/redact_util.h"

static fixture_t F;

static void check_line(const char *in, const char *want, int want_rc) {
  const char *out;
  size_t n;
  cs_diag_t d = {{0}};
  cs_redact_result_t res;
  int rc = cs_redact_jsonl_line(F.r, F.s, in, strlen(in), &out, &n, &res, &d);
  CHECK_INT(rc, want_rc);
  if (rc == CS_OK) {
    char *got = strndup(out, n);
    CHECK_STR(got, want);
    free(got);
  } else {
    CHECK(d.msg[0] != '\0');
    CHECK(strstr(d.msg, "a@b.com") == NULL); /* errors never quote values */
  }
}

static void test_splice(void) {
  check_line("{\"id\":\"r1\",  \"text\" : \"mail a@b.com\\nnow\", \"n\":1.50e0,\"z\":[1,{\"text\":\"x\"}]}",
             "{\"id\":\"r1\",  \"text\" : \"mail <EMAIL>\\nnow\", \"n\":1.50e0,\"z\":[1,{\"text\":\"x\"}]}",
             CS_OK);
  /* escapes in the text decode, and quotes re-encode */
  check_line("{\"text\":\"\\\"a@b.com\\\" \\u00e9 \\/ tab\\t\"}",
             "{\"text\":\"\\\"<EMAIL>\\\" é / tab\\t\"}", CS_OK);
  /* nothing to redact: the line as it came, escapes and all */
  check_line("{\"text\":\"caf\\u00e9 \\/\"}", "{\"text\":\"caf\\u00e9 \\/\"}", CS_OK);
}

/* The escaper copies eight plain bytes at a time: quotes, backslashes and
 * control bytes at every offset of a chunk, and UTF-8, still come out
 * escaped exactly once. */
static void test_escape_chunks(void) {
  for (int off = 0; off < 9; off++) {
    char in[256], want[256];
    const char *pad = "abcdefgh";
    snprintf(in, sizeof in, "{\"text\":\"a@b.com %.*s\\\"q\\\\ é\\n\\u0001 end of it\"}",
             off, pad);
    snprintf(want, sizeof want,
             "{\"text\":\"<EMAIL> %.*s\\\"q\\\\ é\\n\\u0001 end of it\"}", off, pad);
    check_line(in, want, CS_OK);
  }
}

static void test_missing_and_empty(void) {
  check_line("{\"id\":\"r2\"}", "{\"id\":\"r2\"}", CS_OK);
  check_line("{\"id\":\"r3\",\"text\":null}", "{\"id\":\"r3\",\"text\":null}", CS_OK);
  check_line("{\"id\":\"r4\",\"text\":\"\"}", "{\"id\":\"r4\",\"text\":\"\"}", CS_OK);
}

static void test_malformed(void) {
  check_line("{\"id\":\"r5\",\"text\":\"a@b.com\"", NULL, CS_EINVAL);
  check_line("[1,2]", NULL, CS_EINVAL);
  check_line("{\"text\":42}", NULL, CS_EINVAL);
  check_line("{\"a\":1} {\"b\":2}", NULL, CS_EINVAL);
}

static void setup(void) { F = fixture(); }
static void teardown(void) { fixture_free(&F); }

RUN_TESTS(setup, test_splice, test_escape_chunks, test_missing_and_empty, test_malformed, teardown)
