/* patterns.c — the structured types as one Hyperscan database.
 *
 * Every pattern is compiled once, in block mode, so a scan reports
 * (pattern, start, end) for every end at which a pattern matches: the start
 * from HS_FLAG_SOM_LEFTMOST, or for the OWN_START patterns from starts.c,
 * or (the anchors) grown by the validators. Patterns are deliberately generous: they find candidates, and the
 * validators in validate.c decide. For types where the longest candidate may
 * swallow a neighbour (a year after a phone number), every end is kept and
 * the longest one that validates wins.
 */
#include "redact/internal.h"

#include <stdlib.h>
#include <string.h>

#include "redact/pattern_table.h"

_Static_assert((int)CS_HSDB_MAIN == (int)PART_MAIN && (int)CS_HSDB_NUM == (int)PART_NUM &&
                   (int)CS_HSDB_ALNUM == (int)PART_ALNUM && (int)CS_HSDB_CARD == (int)PART_CARD &&
                   (int)CS_HSDB_N == (int)PART_N,
               "internal.h and pattern_table.h number the databases alike");

size_t cs__patterns_start(unsigned id, const char *w, size_t from, size_t end) {
  if (id >= N_PATTERNS || !(patterns[id].flags & OWN_START)) return from;
  switch (patterns[id].check) {
  case V_IPV4: return cs__ipv4_start(w, end);
  case V_CARD: return cs__card_start(w, end);
  case V_SSN: return cs__ssn_start(w, end);
  case V_PHONE: return cs__phone_start(w, end);
  case V_IBAN: return cs__iban_start(w, end);
  default: return end; /* an OWN_START pattern starts.c does not know: test_starts fails */
  }
}

/* Compiles the patterns of one database (PART_*). */
static int compile_part(int part, hs_database_t **out, cs_diag_t *diag) {
  unsigned ids[N_PATTERNS];
  hs_compile_error_t *err = NULL;
  if (pattern_part_compile(part, out, &err, ids) != HS_SUCCESS) {
    int rc = cs_diag_set(diag, CS_EINTERNAL, "redaction pattern %d does not compile: %s",
                         err && err->expression >= 0 ? (int)ids[err->expression] : -1,
                         err ? err->message : "?");
    hs_free_compile_error(err);
    return rc;
  }
  return CS_OK;
}

static void free_dbs(hs_database_t *dbs[CS_HSDB_N]) {
  for (int k = 0; k < CS_HSDB_N; k++) {
    hs_free_database(dbs[k]);
    dbs[k] = NULL;
  }
}

/* The databases serialised at build time, if this CPU and this Hyperscan
 * can use them (a build on another machine or against another Hyperscan
 * may not: then they are compiled here). */
static bool load_embedded(hs_database_t *dbs[CS_HSDB_N]) {
  const unsigned char *bytes[CS_HSDB_N] = {cs__hsdb_main, cs__hsdb_num, cs__hsdb_alnum,
                                           cs__hsdb_card};
  const size_t lens[CS_HSDB_N] = {cs__hsdb_main_len, cs__hsdb_num_len, cs__hsdb_alnum_len,
                                  cs__hsdb_card_len};
  hs_scratch_t *probe = NULL;
  bool ok = true;
  for (int k = 0; k < CS_HSDB_N; k++) dbs[k] = NULL;
  for (int k = 0; k < CS_HSDB_N && ok; k++)
    ok = lens[k] && hs_deserialize_database((const char *)bytes[k], lens[k], &dbs[k]) == HS_SUCCESS &&
         hs_alloc_scratch(dbs[k], &probe) == HS_SUCCESS;
  hs_free_scratch(probe);
  if (!ok) free_dbs(dbs);
  return ok;
}

int cs__patterns_compile(hs_database_t *dbs[CS_HSDB_N], cs_diag_t *diag) {
  if (load_embedded(dbs)) return CS_OK;
  return cs__patterns_compile_fresh(dbs, diag);
}

int cs__patterns_compile_fresh(hs_database_t *dbs[CS_HSDB_N], cs_diag_t *diag) {
  for (int k = 0; k < CS_HSDB_N; k++) dbs[k] = NULL;
  for (int k = 0; k < CS_HSDB_N; k++) {
    int rc = compile_part(k, &dbs[k], diag);
    if (rc < 0) {
      free_dbs(dbs);
      return rc;
    }
  }
  return CS_OK;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* ASCII alphanumerics in s[0,n), as a compact string (at most cap-1). */
static size_t compact(const char *s, size_t n, char *dst, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n && o + 1 < cap; i++) {
    char c = s[i];
    if (is_digit(c) || ((c | 32) >= 'a' && (c | 32) <= 'z'))
      dst[o++] = (char)((c >= 'a' && c <= 'z') ? c - 32 : c);
  }
  dst[o] = '\0';
  return o;
}

/* Tables, not strchr: these run for every byte of every address found. */
static const bool email_punct[256] = {['.'] = 1, ['_'] = 1, ['%'] = 1, ['+'] = 1, ['-'] = 1};
static const bool url_unsafe[256] = {['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1, ['{'] = 1,
                                     ['}'] = 1, ['|'] = 1, ['\\'] = 1, ['^'] = 1, ['`'] = 1,
                                     [0x7f] = 1};

static bool email_local(unsigned char c) {
  return is_digit((char)c) || ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80 ||
         email_punct[c];
}

static bool host_char(unsigned char c) {
  return is_digit((char)c) || ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80 || c == '-' ||
         c == '.';
}

/* Grows an e-mail address around the '@' at at. */
static bool grow_email(const char *text, size_t len, size_t at, size_t *start, size_t *end) {
  const unsigned char *u = (const unsigned char *)text;
  size_t s = at, e = at + 1;
  while (s > 0 && at - s < 64 && email_local(u[s - 1])) s--;
  while (s < at && email_punct[u[s]]) s++; /* the local part holds no NUL */
  while (e < len && e - at < 256 && host_char(u[e])) e++;
  while (e > at && (text[e - 1] == '.' || text[e - 1] == '-')) e--;
  if (s == at || e <= at + 1) return false;
  size_t dot = e;
  while (dot > at && text[dot - 1] != '.') dot--;
  if (dot <= at + 1 || e - dot < 2) return false;
  for (size_t i = dot; i < e; i++)
    if (is_digit(text[i]) || text[i] == '-') return false; /* a TLD is letters (or IDN) */
  *start = s;
  *end = e;
  return true;
}

static bool url_char(unsigned char c) {
  return c > 0x20 && !url_unsafe[c];
}

/* Grows a URL from its anchor's end: after "://", or after "www.x". */
static bool grow_url(const char *text, size_t len, size_t to, size_t *start, size_t *end) {
  size_t s = to >= 5 ? to - 5 : 0; /* "www.x" */
  if (text[to - 1] == '/') {       /* "scheme://": back over the scheme's letters */
    s = to - 3;
    while (s > 0 && to - s < 9 && (text[s - 1] | 32) >= 'a' && (text[s - 1] | 32) <= 'z') s--;
  }
  size_t e = to;
  while (e < len && e - s < 4096 && url_char((unsigned char)text[e])) e++;
  *start = s;
  *end = cs__trim_url(text, s, e);
  return *end > s + 7;
}

/* "Booking.com", "Amazon.com": a bare two-label domain spelt as a proper
 * noun (one capital, then small letters) is a company's name, not a link. */
static bool brand_domain(const char *text, size_t s, size_t to) {
  if (text[s] < 'A' || text[s] > 'Z') return false;
  size_t dots = 0;
  for (size_t i = s + 1; i < to; i++) {
    if (text[i] == '.') dots++;
    else if (text[i] >= 'A' && text[i] <= 'Z') return false;
  }
  return dots == 1;
}

/* Grows a bare domain around its ".tld" ending at to, plus any path. */
static bool grow_domain(const char *text, size_t len, size_t to, size_t *start, size_t *end) {
  const unsigned char *u = (const unsigned char *)text;
  size_t s = to;
  while (s > 0 && to - s < 253 && host_char(u[s - 1])) s--;
  while (s < to && (text[s] == '.' || text[s] == '-')) s++;
  if (s > 0 && (text[s - 1] == '@' || text[s - 1] == '/' || u[s - 1] >= 0x80)) return false;
  for (size_t i = s; i < to; i++)
    if (u[i] >= 0x80) return false; /* an international name we do not know the end of */
  size_t e = to;
  if (e < len && text[e] == '/')
    while (e < len && e - s < 4096 && url_char(u[e])) e++;
  if (e == to && brand_domain(text, s, to)) return false;
  *start = s;
  *end = cs__trim_url(text, s, e);
  return *end > s + 3;
}

/* Validates candidate [*start, *end) for kind k, adjusting its bounds. */
static bool validate(vkind_t k, const char *text, size_t len, size_t *start, size_t *end) {
  char buf[64];
  const char *s = text + *start;
  size_t n = *end - *start;
  switch (k) {
  case V_EMAIL: return grow_email(text, len, *end - 2, start, end);
  case V_URL: return grow_url(text, len, *end, start, end);
  case V_DOMAIN: return grow_domain(text, len, *end, start, end);
  case V_IPV4: return cs__valid_ipv4(s, n);
  case V_IPV6:
    return cs__valid_ipv6(s, n) && (*start == 0 || !strchr(":.", text[*start - 1])) &&
           (*end == len || text[*end] != ':');
  case V_CARD: return cs__valid_luhn_card(s, n);
  case V_IBAN: return n < sizeof buf && cs__valid_iban(buf, compact(s, n, buf, sizeof buf));
  case V_SSN: return cs__valid_ssn(text, len, *start, *end);
  case V_NINO: return cs__valid_nino(buf, compact(s, n, buf, sizeof buf));
  case V_PHONE: return cs__valid_phone(text, len, *start, *end);
  case V_POSTCODE: return true;
  }
  return false;
}

static bool wants_all_ends(vkind_t k) { return k == V_PHONE || k == V_CARD || k == V_IBAN; }

static int longest(vkind_t k, cs_pii_type_t t, const char *text, size_t len,
                   const cs__cand_t *c, cs__mvec_t *m) {
  size_t st = c->start, en = c->end;
  return validate(k, text, len, &st, &en) ? cs__mvec_push(m, t, st, en) : CS_OK;
}

/* Anchored candidates: each end is its own anchor. */
static int each(vkind_t k, cs_pii_type_t t, const char *text, size_t len, const cs__cand_t *c,
                size_t n, cs__mvec_t *m) {
  size_t last_end = 0;
  for (size_t i = 0; i < n; i++) {
    size_t st = c[i].start, en = c[i].end;
    if (en <= last_end || !validate(k, text, len, &st, &en)) continue;
    int rc = cs__mvec_push(m, t, st, en);
    if (rc < 0) return rc;
    last_end = en;
  }
  return CS_OK;
}

static bool starts_number(const char *text, size_t p) {
  char ch = text[p];
  bool ok = (ch >= '0' && ch <= '9') || ch == '+' || ch == '(';
  if (!ok || p == 0) return ok;
  char b = text[p - 1];
  return !((b >= '0' && b <= '9') || ((b | 32) >= 'a' && (b | 32) <= 'z') || b == '+' || b == '(');
}

/* One (pattern, start) group with ends ascending. Hyperscan reports only the
 * leftmost start for each end, so two phone numbers in a row ("+33 1 23 45
 * 67 89 / 01 23 45 67 89") arrive as one group: after the longest valid
 * match, later starts inside the group's reach are tried against its ends. */
static int split_group(vkind_t k, cs_pii_type_t t, const char *text, size_t len,
                       const cs__cand_t *c, size_t n, cs__mvec_t *m) {
  size_t from = c[0].start, reach = c[n - 1].end;
  while (from < reach) {
    bool found = false;
    for (size_t e = n; e-- > 0 && !found;) {
      size_t st = from, en = c[e].end;
      if (en <= from + 1) break;
      if (validate(k, text, len, &st, &en)) {
        int rc = cs__mvec_push(m, t, st, en);
        if (rc < 0) return rc;
        from = en;
        found = true;
      }
    }
    if (!found) from++;
    while (from < reach && !starts_number(text, from)) from++;
  }
  return CS_OK;
}

static int cand_cmp(const void *a, const void *b) {
  const cs__cand_t *x = a, *y = b;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

int cs__patterns_validate(const char *text, size_t len, cs__cand_t *c, size_t n,
                          cs__mvec_t *m) {
  /* Group candidates per (pattern, start), ends ascending, and try each
   * group's ends from the longest down. */
  if (n == 0) return CS_OK;
  cs__sort_few(c, n, sizeof *c, cand_cmp);
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && c[j].id == c[i].id && c[j].start == c[i].start) j++;
    vkind_t k = patterns[c[i].id].check;
    int rc = patterns[c[i].id].flags & ANCHOR ? each(k, patterns[c[i].id].type, text, len, c + i, j - i, m)
           : wants_all_ends(k) ? split_group(k, patterns[c[i].id].type, text, len, c + i, j - i, m)
                               : longest(k, patterns[c[i].id].type, text, len, &c[j - 1], m);
    if (rc < 0) return rc;
    i = j;
  }
  return CS_OK;
}
