/* test_patterns.c — the Hyperscan databases embedded at build time find
 * exactly what the same patterns compiled at run time find, and scanning
 * only the windows of windows.c finds what a whole-record scan finds. */
#include <stdlib.h>
#include <string.h>

#include "atoms.h"
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
  hs_database_t *emb[CS_HSDB_N] = {NULL}, *fresh[CS_HSDB_N] = {NULL};
  const unsigned char *bytes[CS_HSDB_N] = {cs__hsdb_main, cs__hsdb_num, cs__hsdb_alnum,
                                           cs__hsdb_card};
  const size_t lens[CS_HSDB_N] = {cs__hsdb_main_len, cs__hsdb_num_len, cs__hsdb_alnum_len,
                                  cs__hsdb_card_len};
  cs_diag_t d = {{0}};
  bool ok = true;
  for (int k = 0; k < CS_HSDB_N; k++) {
    CHECK(lens[k] > 0);
    CHECK_INT(hs_deserialize_database((const char *)bytes[k], lens[k], &emb[k]), HS_SUCCESS);
    ok = ok && emb[k];
  }
  CHECK_INT(cs__patterns_compile_fresh(fresh, &d), CS_OK);
  for (int k = 0; k < CS_HSDB_N; k++) ok = ok && fresh[k];
  if (!ok) goto out;
  static hits_t a, b;
  size_t total[CS_HSDB_N] = {0};
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    for (int k = 0; k < CS_HSDB_N; k++) {
      scan(emb[k], samples[i], &a);
      scan(fresh[k], samples[i], &b);
      CHECK_INT(a.n, b.n);
      total[k] += a.n;
      CHECK(a.n == b.n && memcmp(a.v, b.v, a.n * sizeof a.v[0]) == 0);
    }
  }
  for (int k = 0; k < CS_HSDB_N; k++) CHECK(total[k] > 0); /* each database finds something */
out:
  for (int k = 0; k < CS_HSDB_N; k++) {
    hs_free_database(emb[k]);
    hs_free_database(fresh[k]);
  }
}

static int hit_cmp(const void *x, const void *y) {
  const hit_t *a = x, *b = y;
  if (a->id != b->id) return a->id < b->id ? -1 : 1;
  if (a->to != b->to) return a->to < b->to ? -1 : 1;
  return (a->from > b->from) - (a->from < b->from);
}

/* The starts the redactor takes for hits in buf: Hyperscan's, or for the
 * patterns scanned without start of match, starts.c's (cs__patterns_start). */
static void own_starts(hits_t *h, const char *buf) {
  for (size_t k = 0; k < h->n; k++)
    h->v[k].from = cs__patterns_start(h->v[k].id, buf, (size_t)h->v[k].from, (size_t)h->v[k].to);
}

/* A window finder (windows.c) and the database it serves. */
typedef struct {
  int db;
  bool (*next)(const char *text, size_t len, size_t *from, size_t *ws, size_t *we);
  bool som; /* the patterns report their start (the anchors do not: 0) */
} finder_t;

/* Scanning a database over its finder's windows (as the redactor does)
 * finds exactly the matches, starts included where there are any (from
 * Hyperscan or starts.c), of scanning the whole text (the simple path). */
static size_t check_windows(const finder_t *f, hs_database_t *db, hs_scratch_t *hs,
                            const char *unpadded, size_t len) {
  static hits_t whole, win;
  /* the finders read up to 16 bytes past the end (internal.h), and must
   * ignore them: a heap copy with exactly that many, so ASan sees any read
   * beyond, all of them triggers */
  char *text = malloc(len + 16);
  if (!text) return 0;
  memcpy(text, unpadded, len);
  memcpy(text + len, "9@:.9@:.9@:.9@:.", 16);
  whole.n = win.n = 0;
  CHECK_INT(hs_scan(db, text, (unsigned)len, 0, hs, on_hit, &whole), HS_SUCCESS);
  own_starts(&whole, text);
  size_t from = 0, ws, we, last = 0;
  while (f->next(text, len, &from, &ws, &we)) {
    CHECK(ws >= last && we > ws && we <= len);
    last = we;
    hits_t part = {.n = 0};
    CHECK_INT(hs_scan(db, text + ws, (unsigned)(we - ws), 0, hs, on_hit, &part), HS_SUCCESS);
    own_starts(&part, text + ws);
    for (size_t k = 0; k < part.n && win.n < sizeof win.v / sizeof win.v[0]; k++)
      win.v[win.n++] = (hit_t){part.v[k].id, f->som ? part.v[k].from + ws : 0, part.v[k].to + ws};
  }
  qsort(whole.v, whole.n, sizeof whole.v[0], hit_cmp);
  qsort(win.v, win.n, sizeof win.v[0], hit_cmp);
  CHECK_INT(win.n, whole.n);
  CHECK(win.n == whole.n && memcmp(win.v, whole.v, win.n * sizeof win.v[0]) == 0);
  free(text);
  return whole.n;
}

/* On the samples and on random texts built from atoms (pieces of what the
 * database matches, with word bytes, separators and UTF-8 between them):
 * returns how many matches the texts held. */
static size_t check_random_windows(const finder_t *f, const char *const *atoms, size_t n_atoms) {
  hs_database_t *dbs[CS_HSDB_N] = {NULL};
  hs_scratch_t *hs = NULL;
  cs_diag_t d = {{0}};
  size_t hits_seen = 0;
  CHECK_INT(cs__patterns_compile_fresh(dbs, &d), CS_OK);
  if (!dbs[f->db]) return 0;
  CHECK_INT(hs_alloc_scratch(dbs[f->db], &hs), HS_SUCCESS);
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
    check_windows(f, dbs[f->db], hs, samples[i], strlen(samples[i]));
  uint64_t x = 2463534242u;
  static char text[2048];
  for (int round = 0; round < 3000; round++) {
    size_t len = atoms_text(atoms, n_atoms, &x, (size_t)(round % 600), text, sizeof text);
    hits_seen += check_windows(f, dbs[f->db], hs, text, len);
  }
  hs_free_scratch(hs);
  for (int k = 0; k < CS_HSDB_N; k++) hs_free_database(dbs[k]);
  return hits_seen;
}

/* IPv6, IBAN, NINO and postcodes over cs__alnum_window's windows. */
static void test_alnum_windows(void) {
  static const char *const atoms[] = {
      "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "DE89370400440532013000",
      "AB 12 34 56 C", "AB123456C", "SW1A 1AA", "K1A 0B1", "M1 1AE", "2001:db8::ff00:42:8329",
      "fe80::1", "::", "dead:beef::cafe", "10.0.0.1", ":", "1", "42", "x", "Q", "word", "_",
      "in 2024", "a1", "A 1", "Q3 ", "ab:", ":x:", "GB", "AB 1", "gb82west12345698765432",
      "ab123456c", "mp3", "x2", "de89",
      " ", "  ", ".", ",", "-", "\xc3\xa9", "\xe2\x80\x99", "\n", "abcdefghijklmnopqrstuvwxyz",
      "                                                                                ",
      "................................................................................"};
  finder_t f = {CS_HSDB_ALNUM, cs__alnum_window, true};
  CHECK(check_random_windows(&f, atoms, sizeof atoms / sizeof atoms[0]) > 3000);
}

/* E-mail, URL, www and domain anchors over cs__anchor_window's windows:
 * '@', schemes, "www." and top-level domains glued to words, dots and
 * colons that are no anchors, and stretches with none. */
static void test_anchor_windows(void) {
  static const char *const atoms[] = {
      "@", "@x", "jane.doe@example.com", "https://", "HTTP://", "ftp://", "http:", "://",
      ":/", "www.", "WWW.a", "www", ".com", ".COM", ".online", ".onlinex", "example.org",
      "shop.de", "x.io", "e.g.", "U.S.", "3.5", ".", "..", ":", "a", "Z", "9", "_", "https",
      "word", " ", "  ", ",", "-", "/", "\xc3\xa9", "\xe2\x80\x99", "\n",
      "abcdefghijklmnopqrstuvwxyz",
      "                                                                                ",
      "................................................................................"};
  finder_t f = {CS_HSDB_MAIN, cs__anchor_window, false};
  CHECK(check_random_windows(&f, atoms, sizeof atoms / sizeof atoms[0]) > 3000);
}

/* The window finder skips sixteen bytes at a time: a number at any
 * offset, after ASCII or UTF-8 text, is still found where it is; short
 * numbers (a year) give no window, whatever digits lie past the end. */
static void test_numeric_window_offsets(void) {
  for (size_t off = 0; off < 20; off++) {
    char buf[64];
    memset(buf, '9', sizeof buf);
    size_t len = 0;
    for (size_t k = 0; k < off; k++) buf[len++] = k % 3 ? 'x' : '~';
    memcpy(buf + len, "\xc3\xa9 5551234 \xe2\x80\x99 2024 z", 20);
    len += 20;
    size_t from = 0, ws = 0, we = 0, digits = 0;
    CHECK(cs__numeric_window(buf, len, &from, &ws, &we, &digits));
    CHECK_INT(ws, off + 2);      /* the space before the number is in the stretch */
    CHECK_INT(we, off + 2 + 9);  /* ... and the one after */
    CHECK_INT(digits, 7);
    CHECK(!cs__numeric_window(buf, len, &from, &ws, &we, &digits)); /* "2024" is too short */
  }
}

RUN_TESTS(test_embedded_equals_compiled, test_numeric_window_offsets, test_alnum_windows,
          test_anchor_windows)
