/* test_input.c — bad and extreme input: invalid UTF-8, multi-byte text,
 * empty text, a 10 MB record; none may crash, split a character or leak. */
#include "redact/redact_util.h"

static fixture_t F;

/* Whether every byte of s[0, n) that is part of a valid UTF-8 sequence in the
 * input still is in the output, i.e. nothing was cut in half: we check the
 * weaker but sufficient property that the output decodes wherever the input
 * did, by counting invalid sequences. */
static size_t invalid_sequences(const char *s, size_t n) {
  size_t bad = 0;
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    size_t k = u[i] < 0x80 ? 1 : u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : u[i] >= 0xC2 ? 2 : 0;
    bool ok = k > 0 && i + k <= n;
    for (size_t j = 1; ok && j < k; j++) ok = (u[i + j] & 0xC0) == 0x80;
    if (!ok) {
      bad++;
      i++;
    } else {
      i += k;
    }
  }
  return bad;
}

static void test_invalid_utf8_passes_through(void) {
  const char in[] = "bad \xff\xfe bytes \xc3 and \xe2\x82 then mail a@b.com \x80 end";
  const char *out;
  size_t n;
  CHECK_INT(cs_redact_text(F.r, F.s, in, sizeof in - 1, &out, &n, NULL), CS_OK);
  CHECK_INT(invalid_sequences(out, n), invalid_sequences(in, sizeof in - 1));
  CHECK(memmem(out, n, "<EMAIL>", 7) != NULL);
  CHECK(memmem(out, n, "\xff\xfe", 2) != NULL);
}

static void test_multibyte_never_split(void) {
  CHECK_REDACT(&F, "Grüße an Zoë — mail zoë.müller@exämple.de oder ☎ +49 30 12345678 ✓",
               "Grüße an <PERSON> — mail <EMAIL> oder ☎ <PHONE> ✓");
  CHECK_REDACT(&F, "Здравствуйте, Meagan Wallace! 你好", "Здравствуйте, <PERSON>! 你好");
  /* a name glued to emoji and CJK */
  char *o = redact(&F, "😀Meagan Wallace😀 4111111111111111漢");
  CHECK_INT(invalid_sequences(o, strlen(o)), 0);
  free(o);
}

/* Found by the fuzzer: widening spans over stray continuation bytes made a
 * phone number overlap an e-mail address, and rendering failed. */
static void test_stray_continuation_bytes(void) {
  const char in[] = "x\xa8\xa8\xa8 54)5698 7-54 32\xa8\xa8\xa8\xa8 \xa8\xa8"
                    "doe@exam.epl\x9c\x90 tail";
  const cs_pii_match_t *m;
  size_t n;
  CHECK_INT(cs_redact_find(F.r, F.s, in, sizeof in - 1, &m, &n), CS_OK);
  for (size_t i = 1; i < n; i++) CHECK(m[i].start >= m[i - 1].end);
  const char *out;
  size_t on;
  CHECK_INT(cs_redact_text(F.r, F.s, in, sizeof in - 1, &out, &on, NULL), CS_OK);
}

static void test_empty(void) {
  const char *out = NULL;
  size_t n = 99;
  cs_redact_result_t res;
  CHECK_INT(cs_redact_text(F.r, F.s, "", 0, &out, &n, &res), CS_OK);
  CHECK_INT(n, 0);
  CHECK_INT(res.n_matches, 0);
  CHECK(!res.changed);
}

static void test_ten_megabytes(void) {
  size_t n = (size_t)10 << 20;
  char *big = malloc(n);
  const char *unit = "Post by Meagan Wallace: call +44 20 7946 0958, card 4111 1111 1111 1111. "
                     "Numbers 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 and é漢 text. ";
  size_t ul = strlen(unit);
  for (size_t i = 0; i < n; i++) big[i] = unit[i % ul];
  const char *out;
  size_t on;
  cs_redact_result_t res;
  CHECK_INT(cs_redact_text(F.r, F.s, big, n, &out, &on, &res), CS_OK);
  size_t reps = n / ul;
  CHECK(res.counts[CS_PII_PHONE] >= reps - 1);
  CHECK(res.counts[CS_PII_CREDIT_CARD] >= reps - 1);
  CHECK(res.counts[CS_PII_PERSON] >= reps - 1);
  /* the cut-off tail may hold a broken character; nothing else may */
  CHECK(invalid_sequences(out, on) <= invalid_sequences(big, n));
  free(big);
}

static void setup(void) { F = fixture(); }
static void teardown(void) { fixture_free(&F); }

RUN_TESTS(setup, test_invalid_utf8_passes_through, test_multibyte_never_split,
          test_stray_continuation_bytes, test_empty,
          test_ten_megabytes, teardown)
