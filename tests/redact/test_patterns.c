/* test_patterns.c — the Hyperscan databases embedded at build time find
 * exactly what the same patterns compiled at run time find. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "redact/internal.h"

typedef struct {
  unsigned id;
  unsigned long long from, to;
} hit_t;

typedef struct {
  hit_t v[512];
  size_t n;
} hits_t;

static int on_hit(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                  void *ctx) {
  hits_t *h = ctx;
  (void)flags;
  if (h->n < sizeof h->v / sizeof h->v[0]) h->v[h->n++] = (hit_t){id, from, to};
  return 0;
}

static void scan(hs_database_t *db, const char *text, hits_t *out) {
  hs_scratch_t *s = NULL;
  out->n = 0;
  CHECK_INT(hs_alloc_scratch(db, &s), HS_SUCCESS);
  if (s) CHECK_INT(hs_scan(db, text, (unsigned)strlen(text), 0, s, on_hit, out), HS_SUCCESS);
  hs_free_scratch(s);
}

static const char *const samples[] = {
    "mail jane.doe@example.com or visit https://www.example.org/x and shop.example.de",
    "call +44 20 7946 0958, (555) 123-4567 x12 or 555-123-4567; ssn 123-45-6789",
    "card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, NINO AB 12 34 56 C",
    "ip 192.168.1.20 and 2001:db8::ff00:42:8329; postcode SW1A 1AA, K1A 0B1",
    "nothing to see here, in 2024 we grew 12.5% across 3 offices",
};

static void test_embedded_equals_compiled(void) {
  hs_database_t *emb = NULL, *emb_num = NULL, *fresh = NULL, *fresh_num = NULL;
  cs_diag_t d = {{0}};
  CHECK(cs__hsdb_main_len > 0 && cs__hsdb_num_len > 0);
  CHECK_INT(hs_deserialize_database((const char *)cs__hsdb_main, cs__hsdb_main_len, &emb),
            HS_SUCCESS);
  CHECK_INT(hs_deserialize_database((const char *)cs__hsdb_num, cs__hsdb_num_len, &emb_num),
            HS_SUCCESS);
  CHECK_INT(cs__patterns_compile_fresh(&fresh, &fresh_num, &d), CS_OK);
  if (!emb || !emb_num || !fresh || !fresh_num) goto out;
  static hits_t a, b;
  size_t total[2] = {0, 0};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    for (int k = 0; k < 2; k++) {
      scan(k ? emb_num : emb, samples[i], &a);
      scan(k ? fresh_num : fresh, samples[i], &b);
      CHECK_INT(a.n, b.n);
      total[k] += a.n;
      CHECK(a.n == b.n && memcmp(a.v, b.v, a.n * sizeof a.v[0]) == 0);
    }
  }
  CHECK(total[0] > 0 && total[1] > 0); /* both databases find something */
out:
  hs_free_database(emb);
  hs_free_database(emb_num);
  hs_free_database(fresh);
  hs_free_database(fresh_num);
}

/* The window finder skips eight bytes at a time: a number at any offset,
 * after ASCII or UTF-8 text, is still found where it is; short numbers
 * (a year) give no window. */
static void test_numeric_window_offsets(void) {
  for (size_t off = 0; off < 20; off++) {
    char buf[64];
    size_t len = 0;
    for (size_t k = 0; k < off; k++) buf[len++] = k % 3 ? 'x' : '~';
    memcpy(buf + len, "\xc3\xa9 5551234 \xe2\x80\x99 2024 z", 20);
    len += 20;
    size_t from = 0, ws = 0, we = 0;
    CHECK(cs__numeric_window(buf, len, &from, &ws, &we));
    CHECK_INT(ws, off + 2);      /* the space before the number is in the stretch */
    CHECK_INT(we, off + 2 + 9);  /* ... and the one after */
    CHECK(!cs__numeric_window(buf, len, &from, &ws, &we)); /* "2024" is too short */
  }
}

RUN_TESTS(test_embedded_equals_compiled, test_numeric_window_offsets)
