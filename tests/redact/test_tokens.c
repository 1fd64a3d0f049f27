/* test_tokens.c — token hashes: the tokenizer's eight-bytes-at-a-time path
 * gives exactly cs__hash_lower of each token, at any length and position
 * (also at the end of the buffer, where fewer than eight bytes follow), and
 * exactly the tokens, flags and hashes of the byte-by-byte reference
 * (cs__tokenize_simple), on fixed texts and on random ones; so does the
 * padded variant, which may read the 8 zero bytes after the text. */
#include <stdlib.h>
#include <string.h>

#include "atoms.h"
#include "check.h"
#include "redact/internal.h"

/* padded: the text followed by exactly 8 zero bytes, for
 * cs__tokenize_padded (which may read them and no further). */
static void check_text_as(const char *text, bool padded) {
  cs__tok_t *toks = NULL;
  size_t n = 0, cap = 0;
  /* an exact-size heap copy, so ASan sees any read past the end */
  size_t len = strlen(text), pad = padded ? 8 : 0;
  char *buf = calloc(1, len + pad ? len + pad : 1);
  memcpy(buf, text, len);
  CHECK_INT(padded ? cs__tokenize_padded(buf, len, &toks, &n, &cap)
                   : cs__tokenize(buf, len, &toks, &n, &cap),
            CS_OK);
  for (size_t i = 0; i < n; i++)
    CHECK(toks[i].hash == cs__hash_lower(buf + toks[i].start, toks[i].end - toks[i].start));
  cs__tok_t *ref = NULL;
  size_t rn = 0, rcap = 0;
  CHECK_INT(cs__tokenize_simple(buf, len, &ref, &rn, &rcap), CS_OK);
  CHECK_INT((long long)n, (long long)rn);
  for (size_t i = 0; i < n && i < rn; i++) {
    CHECK(toks[i].start == ref[i].start && toks[i].end == ref[i].end);
    CHECK(toks[i].flags == ref[i].flags && toks[i].hash == ref[i].hash);
    CHECK(toks[i].name == 0 && toks[i].mark == 0);
  }
  free(ref);
  free(toks);
  free(buf);
}

static void check_text(const char *text) {
  check_text_as(text, false);
  check_text_as(text, true);
}

/* Random texts over the bytes that matter to the fast path's edges: letters
 * of both cases, digits, separators, joiners, UTF-8 letters and emoji,
 * invalid bytes; every length from 0 to 200, so tokens meet the end of the
 * buffer and word boundaries at every offset. */
static void test_random(void) {
  static const char *const atoms[] = {"a", "Z", "q", "M", "7", "0", " ", ".", ",", "'", "-",
                                      "@", "_", "\n", "é", "Ł", "ß", "\xe2\x80\x99", "😀",
                                      "\xff", "\x80", "Kowalski", "2024", "O'Neil", "x-y",
                                      "Mary's", "ABCDEFGH", "abcdefghijklmnop", "\t", "`", "{",
                                      "s", "S", "'s", "-s", "\xe2\x80\x99s", "--", "''",
                                      "\xe2\x80\x9c", "\xe2\xaf\xbf", "\xe2\xb0\x80", "\xe2\x80",
                                      "\xf0\x9f", "\xf0\x9f\x98", "\xf0\x90\x80\x80",
                                      "\xce\x91", "\xd0\x94", "\xc5\xb8", "\xc4\x80", "\xcf\x80",
                                      "don\xe2\x80\x99t"};
  const size_t n_atoms = sizeof atoms / sizeof atoms[0];
  uint64_t x = 88172645463325252u;
  char text[256];
  for (int round = 0; round < 20000; round++) {
    size_t len = atoms_text(atoms, n_atoms, &x, (size_t)(round % 201), text, sizeof text);
    text[len] = 0;
    check_text(text);
  }
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

RUN_TESTS(test_hashes, test_random)
