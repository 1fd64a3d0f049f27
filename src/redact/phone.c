/* phone.c — is a digit run with separators a telephone number?
 *
 * International numbers ("+44 20 7946 0958", "0044 ...") are checked against
 * the national number lengths of the countries we promise (US/CA +1, UK +44,
 * DE +49, FR +33, IN +91, NG +234) and E.164's 8..15 digits for the rest.
 * National numbers need 7..13 digits and phone-like grouping: "(555)
 * 123-4567", "020 7946 0958", "030 12345678", "01 23 45 67 89", "98765
 * 43210", "0803 123 4567". Dates (2024-05-01, 01/05/2024), decimals, money
 * and percentages, and unseparated counts of fewer than ten digits are not.
 */
#include "redact/internal.h"

#include <string.h>

#define MAX_GROUPS 12

typedef struct {
  char d[24];               /* the digits, trunk "(0)" removed */
  int nd;
  int groups[MAX_GROUPS];   /* digit-run lengths */
  int ng;
  bool plus, dot, slash, paren;
} phone_t;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_digit(c) || ((c | 32) >= 'a' && (c | 32) <= 'z'); }

static bool parse(const char *s, size_t n, phone_t *p) {
  memset(p, 0, sizeof *p);
  int depth = 0, run = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (is_digit(c)) {
      if (p->nd == (int)sizeof p->d) return false;
      p->d[p->nd++] = c;
      run++;
      continue;
    }
    if (run) {
      if (p->ng == MAX_GROUPS) return false;
      p->groups[p->ng++] = run;
      run = 0;
    }
    if (c == '+' && i == 0) p->plus = true;
    else if (c == '(') { depth++; p->paren = true; }
    else if (c == ')') { if (--depth < 0) return false; }
    else if (c == '.') p->dot = true;
    else if (c == '/') p->slash = true;
    else if (c != ' ' && c != '-') return false;
  }
  if (run && p->ng < MAX_GROUPS) p->groups[p->ng++] = run;
  /* "+46 (0)157": the bracketed trunk zero is not dialled from abroad */
  const char *tz = memmem(s, n, "(0)", 3);
  if (tz && p->plus) {
    size_t before = 0;
    for (const char *q = s; q < tz; q++) before += is_digit(*q);
    memmove(p->d + before, p->d + before + 1, (size_t)p->nd - before - 1);
    p->nd--;
  }
  return depth == 0;
}

static bool intl_ok(const phone_t *p, int skip) {
  const char *d = p->d + skip;
  int nd = p->nd - skip;
  if (d[0] == '1') return nd == 11;
  if (d[0] == '4' && d[1] == '4') return nd >= 11 && nd <= 13;
  if (d[0] == '4' && d[1] == '9') return nd >= 9 && nd <= 15;
  if (d[0] == '3' && d[1] == '3') return nd == 11;
  if (d[0] == '9' && d[1] == '1') return nd == 12;
  if (d[0] == '2' && d[1] == '3' && d[2] == '4') return nd >= 11 && nd <= 14;
  return nd >= 8 && nd <= 15 && d[0] != '0';
}

static bool looks_like_date(const phone_t *p) {
  const int *g = p->groups;
  if (p->plus || p->paren || p->ng < 3) return false;
  /* 2024-05-01 and 2024-05-01 12 (a time follows) */
  if (g[0] == 4 && g[1] <= 2 && g[2] <= 2 && (p->d[0] == '1' || p->d[0] == '2')) return true;
  if (p->ng != 3) return false;
  return (g[0] == 4 && g[1] <= 2 && g[2] <= 2) || (g[0] <= 2 && g[1] <= 2 && (g[2] == 4 || g[2] == 2));
}

/* 123-45-6789 is an SSN's shape; 2019-2023 a range of years; four groups
 * of four digits a card number. */
static bool other_shape(const phone_t *p) {
  const int *g = p->groups;
  if (p->ng == 3 && g[0] == 3 && g[1] == 2 && g[2] == 4) return true;
  if (p->ng == 2 && g[0] == 4 && g[1] == 4 && (p->d[0] == '1' || p->d[0] == '2') &&
      (p->d[4] == '1' || p->d[4] == '2'))
    return true;
  int fours = 0;
  for (int i = 0; i < p->ng; i++) fours += g[i] == 4;
  return fours >= 3 && fours == p->ng;
}

static bool national_ok(const phone_t *p) {
  int nd = p->nd;
  if (nd < 7 || nd > 13 || looks_like_date(p) || other_shape(p)) return false;
  if (p->dot && p->ng < 3) return false; /* a decimal number */
  for (int i = 0; i < p->ng; i++)
    if (p->groups[i] > 10) return false;
  if (nd == 7) return p->ng == 2 && p->groups[0] == 3 && p->groups[1] == 4;
  if (p->ng == 1) {
    if (nd == 10) return p->d[0] >= '2';          /* US (area codes 2-9), IN mobiles */
    return nd == 11 && p->d[0] == '0' && p->d[1] != '0'; /* UK/NG mobile */
  }
  if (p->groups[0] == 1 && p->d[0] != '1' && !p->paren) return false;
  return true;
}

static bool money_before(const char *text, size_t start) {
  static const struct {
    const char *s;
    size_t n;
  } marks[] = {{"$", 1}, {"#", 1}, {"\xe2\x82\xac", 3} /* € */, {"\xc2\xa3", 2} /* £ */,
               {"\xc2\xa5", 2} /* ¥ */, {"\xe2\x82\xb9", 3} /* ₹ */, {"\xe2\x82\xa6", 3} /* ₦ */};
  size_t from = start > 5 ? start - 5 : 0;
  /* one pass over the five bytes, each tried only where a mark can begin */
  for (size_t k = from; k < start; k++) {
    unsigned char c = (unsigned char)text[k];
    if (c != '$' && c != '#' && c != 0xE2 && c != 0xC2) continue;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
      if (marks[i].n <= start - k && !memcmp(text + k, marks[i].s, marks[i].n)) return true;
  }
  return false;
}

/* Where an extension ("x459", " ext. 12") begins, or end. */
static size_t extension(const char *text, size_t start, size_t end) {
  for (size_t i = start; i < end; i++)
    if (text[i] == 'x' || text[i] == 'e') return i > start && text[i - 1] == ' ' ? i - 1 : i;
  return end;
}

bool cs__valid_phone(const char *text, size_t len, size_t start, size_t end) {
  phone_t p;
  size_t num_end = extension(text, start, end);
  if (start > 0 && (is_alnum(text[start - 1]) || strchr("._/-+", text[start - 1])))
    return false;
  if (end < len && (is_alnum(text[end]) || text[end] == '%' ||
                    ((text[end] == '.' || text[end] == ',') && end + 1 < len &&
                     is_digit(text[end + 1]))))
    return false;
  if (end < len && text[end] == ':') return false; /* a time of day */
  /* nor is a suffix of one */
  if (start >= 2 && strchr(" -.", text[start - 1]) && is_digit(text[start - 2])) return false;
  /* a prefix of a longer run of digit groups is not a number of its own */
  if (end + 1 < len && strchr(" -.", text[end]) && is_digit(text[end + 1])) return false;
  if (!parse(text + start, num_end - start, &p) || money_before(text, start)) return false;
  if (p.plus) return intl_ok(&p, 0);
  if (p.nd > 4 && p.d[0] == '0' && p.d[1] == '0' && p.groups[0] <= 4)
    return intl_ok(&p, 2);
  return national_ok(&p);
}
