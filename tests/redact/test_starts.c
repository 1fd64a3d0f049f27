/* test_starts.c — the starts starts.c finds for the patterns scanned
 * without start of match (OWN_START: IPv4, card, SSN, phone, IBAN) are the
 * starts Hyperscan reports for them with HS_FLAG_SOM_LEFTMOST, for every
 * match on the samples and on random texts of digits, letters, separators,
 * lead-ins and extensions. */
#include <stdlib.h>
#include <string.h>

#include "atoms.h"
#include "check.h"
#include "redact/internal.h"
#include "redact/pattern_table.h"

typedef struct {
  const char *text;
  size_t matches, wrong;
} ctx_t;

static int on_hit(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                  void *p) {
  ctx_t *c = p;
  (void)flags;
  c->matches++;
  size_t got = cs__patterns_start(id, c->text, 0, (size_t)to);
  if (got != (size_t)from) {
    if (c->wrong++ < 5)
      fprintf(stderr, "pattern %u, \"%.*s\": start %zu, Hyperscan %llu\n", id, (int)to, c->text,
              got, from);
  }
  return 0;
}

static const char *const atoms[] = {
    "0", "1", "12", "123", "1234", "555", "4111", "20", "7946", "0958", " ", "-", ".", "/", "(",
    ")", "+", "+44", "(555)", "x", "x12", " x ", "ext", "ext.", "ext. ", "e", "t", "a", "Z", "_",
    ",", ":", "\xc3\xa9", "  ", "--", "..", "192.168.1.20", "123-45-6789", "4111 1111 1111 1111",
    "GB", "gb82", "DE89 ", "WEST", "ab", "Q", "k", " 0532", "AB12 ",
};

/* Each OWN_START pattern on its own, compiled with its flags, leftmost
 * start and its table index as its id, on the samples and on random texts. */
static size_t check_id(unsigned id) {
  hs_database_t *db = NULL;
  hs_scratch_t *hs = NULL;
  hs_compile_error_t *err = NULL;
  const char *re = patterns[id].re;
  unsigned flags = pattern_hs_flags(id) | HS_FLAG_SOM_LEFTMOST;
  CHECK_INT(hs_compile_multi(&re, &flags, &id, 1, HS_MODE_BLOCK, NULL, &db, &err), HS_SUCCESS);
  if (!db) {
    hs_free_compile_error(err);
    return 0;
  }
  CHECK_INT(hs_alloc_scratch(db, &hs), HS_SUCCESS);
  static char text[512];
  ctx_t c = {text, 0, 0};
  static const char *const samples[] = {
      "call +44 20 7946 0958, (555) 123-4567 x12 or 555-123-4567 ext. 9; ssn 123-45-6789",
      "card 4111 1111 1111 1111 or 4111-1111-1111-1111, ip 192.168.1.20, 1.2.3.4.5",
      "a5551234567 _12345678 (0)20 7946 0958 +49 30 12345678 x 123456 ext1234567",
      "IBAN GB82 WEST 1234 5698 7654 32, gb82west12345698765432, DE89 3704 0044 0532 0130 00"};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    c.text = samples[i];
    CHECK_INT(hs_scan(db, samples[i], (unsigned)strlen(samples[i]), 0, hs, on_hit, &c),
              HS_SUCCESS);
  }
  c.text = text;
  uint64_t x = 88172645463325252u;
  for (int round = 0; round < 20000; round++) {
    size_t len = atoms_text(atoms, sizeof atoms / sizeof atoms[0], &x, (size_t)(round % 80),
                            text, sizeof text);
    CHECK_INT(hs_scan(db, text, (unsigned)len, 0, hs, on_hit, &c), HS_SUCCESS);
  }
  CHECK_INT(c.wrong, 0);
  hs_free_scratch(hs);
  hs_free_database(db);
  return c.matches;
}

static void test_own_starts(void) {
  size_t seen = 0;
  for (unsigned id = 0; id < N_PATTERNS; id++) {
    if (!(patterns[id].flags & OWN_START)) continue;
    size_t n = check_id(id);
    CHECK(n > 500); /* the random texts hold plenty of each */
    seen++;
  }
  CHECK_INT(seen, 5);
}

/* The other patterns keep Hyperscan's start. */
static void test_som_patterns_pass_through(void) {
  for (unsigned id = 0; id < N_PATTERNS; id++)
    if (!(patterns[id].flags & OWN_START)) CHECK_INT(cs__patterns_start(id, "abc", 1, 3), 1);
}

/* No start where no match ends: the end itself comes back. */
static void test_no_match(void) {
  CHECK_INT(cs__ipv4_start("1.2.3", 5), 5);
  CHECK_INT(cs__ssn_start("12-34", 5), 5);
  CHECK_INT(cs__card_start("4111 1111", 9), 9);
  CHECK_INT(cs__phone_start("x12", 3), 3);
  CHECK_INT(cs__iban_start("GB82 WEST", 9), 9);
  CHECK_INT(cs__iban_start("GB82 WEST 1234 5698 7654 32", 27), 0);
  CHECK_INT(cs__phone_start("+44 20 7946 0958", 16), 0);
  CHECK_INT(cs__phone_start("(555) 123-4567 x12", 18), 0);
}

RUN_TESTS(test_own_starts, test_som_patterns_pass_through, test_no_match)
