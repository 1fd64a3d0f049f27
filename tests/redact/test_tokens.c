/* test_tokens.c — token hashes: the tokenizer's eight-bytes-at-a-time path
 * gives exactly cs__hash_lower of each token, at any length and position
 * (also at the end of the buffer, where fewer than eight bytes follow). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "redact/internal.h"

static void check_text(const char *text) {
  cs__tok_t *toks = NULL;
  size_t n = 0, cap = 0;
  /* an exact-size heap copy, so ASan sees any read past the end */
  size_t len = strlen(text);
  char *buf = malloc(len ? len : 1);
  memcpy(buf, text, len);
  CHECK_INT(cs__tokenize(buf, len, &toks, &n, &cap), CS_OK);
  for (size_t i = 0; i < n; i++)
    CHECK(toks[i].hash == cs__hash_lower(buf + toks[i].start, toks[i].end - toks[i].start));
  free(toks);
  free(buf);
}

static void test_hashes(void) {
  check_text("A Bb CCC Dddd EEEEE Ffffff GgGgGgG HhHhHhHh IiIiIiIiI JjJjJjJjJjJjJjJjJ");
  check_text("Mary-Jane O'Neil zZ@[`{ ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz");
  check_text("Łukasz Żółć ΑΘΗΝΑ Москва Ärztin 12B 2024 x");
  check_text("Q");
  check_text("end of buffer Wallace");
  CHECK(cs__hash_lower("WALLACE", 7) == cs__hash_lower("wallace", 7));
  CHECK(cs__hash_lower("Ärztin", 7) == cs__hash_lower("ärztin", 7));
  CHECK(cs__hash_lower("wallace", 7) != cs__hash_lower("wallacf", 7));
}

RUN_TESTS(test_hashes)
