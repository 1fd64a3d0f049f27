/* starts.c — where a match begins, given its end, for the patterns that
 * Hyperscan scans without start-of-match tracking (OWN_START in
 * pattern_table.h: IPv4, card, SSN, phone and IBAN).
 *
 * With HS_FLAG_SOM_LEFTMOST, Hyperscan spent some 10,000 instructions a
 * call of the numeric database on its start-of-match machinery (6,000 of
 * them for the phone pattern alone), for windows of twenty bytes, and the
 * IBAN pattern doubled the cost of the alphanumeric database. Each function
 * here gives, for an end that Hyperscan reported in w, the start that
 * HS_FLAG_SOM_LEFTMOST would have reported: the leftmost position from
 * which the pattern matches w up to that end. They walk back from the end
 * over the pattern's few possible shapes; the patterns are simple enough
 * that every walk is short and exact. test_starts compares them with
 * Hyperscan's own starts on random texts.
 *
 * Hyperscan's \b is the boundary between a word byte ([A-Za-z0-9_]) and
 * anything else, the buffer's edges counting as non-word, so "\b before
 * position s" is s == 0 or w[s - 1] is no word byte. Every function looks
 * only at w[0, end) and returns end when no match ends there (never, for an
 * end Hyperscan reported). Pure functions: safe from any thread.
 */
#include "redact/internal.h"

#include <stdint.h>
#include <string.h>

static bool digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool letter(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

static bool word(unsigned char c) { return digit(c) || letter(c) || c == '_'; }

/* \b before a digit at s */
static bool starts_word(const unsigned char *w, size_t s) { return s == 0 || !word(w[s - 1]); }

/* \b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b: four digit groups, each a whole
 * run of digits (a dot or the \b stands either side), so one shape only. */
size_t cs__ipv4_start(const char *text, size_t end) {
  const unsigned char *w = (const unsigned char *)text;
  size_t p = end;
  for (int g = 0; g < 4; g++) {
    size_t q = p;
    while (q > 0 && p - q < 3 && digit(w[q - 1])) q--;
    if (q == p) return end;
    if (g == 3) return starts_word(w, q) ? q : end;
    if (q == 0 || w[q - 1] != '.') return end;
    p = q - 1;
  }
  return end;
}

/* \b\d{3}[\- ]?\d{2}[\- ]?\d{4}\b: the four ways to place the two optional
 * separators, the leftmost that fits. */
size_t cs__ssn_start(const char *text, size_t end) {
  const unsigned char *w = (const unsigned char *)text;
  static const int groups[3] = {4, 2, 3};
  size_t best = end;
  for (int seps = 0; seps < 4; seps++) {
    size_t p = end;
    bool ok = true;
    for (int g = 0; g < 3 && ok; g++) {
      for (int k = 0; k < groups[g] && ok; k++) ok = p > 0 && digit(w[--p]);
      if (ok && g < 2 && (seps >> g) & 1) {
        ok = p > 0 && (w[p - 1] == '-' || w[p - 1] == ' ');
        p -= ok;
      }
    }
    if (ok && starts_word(w, p) && p < best) best = p;
  }
  return best;
}

/* \b\d(?:[ \-]?\d){11,18}\b: back from the end, digit by digit, each
 * joined to the one before directly or by one ' ' or '-' (one way only);
 * the start is the farthest of the 12th to 19th digits that has \b
 * before it. */
size_t cs__card_start(const char *text, size_t end) {
  const unsigned char *w = (const unsigned char *)text;
  if (end == 0 || !digit(w[end - 1])) return end;
  size_t best = end, d = end - 1;
  for (int k = 1; k <= 19; k++) {
    if (k >= 12 && starts_word(w, d)) best = d;
    if (d > 0 && digit(w[d - 1])) d--;
    else if (d > 1 && (w[d - 1] == ' ' || w[d - 1] == '-') && digit(w[d - 2])) d -= 2;
    else break;
  }
  return best;
}

/* A byte of the phone pattern's middle class [\d \-./()]. */
static bool phone_mid(unsigned char c) {
  return digit(c) || c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

/* (?:\+\d|\(\d|\b\d)[\d \-./()]{5,24} before the final digit at d: the
 * leftmost start, or SIZE_MAX. The middle [p, d) lies in the run of middle
 * bytes before d; the first p (from the left) with a valid lead-in before
 * it gives the leftmost start, p - 2 for "+5" or "(5", else p - 1. */
static size_t phone_lead(const unsigned char *w, size_t d) {
  if (d < 6) return SIZE_MAX;
  size_t lo = d > 24 ? d - 24 : 0, p = d;
  while (p > lo && phone_mid(w[p - 1])) p--;
  for (; p + 5 <= d; p++) {
    if (p == 0 || !digit(w[p - 1])) continue;
    if (p >= 2 && (w[p - 2] == '+' || w[p - 2] == '(')) return p - 2;
    if (starts_word(w, p - 1)) return p - 1;
  }
  return SIZE_MAX;
}

/* The phone pattern (pattern_table.h): a lead-in, 5 to 24 middle bytes and
 * a final digit, then maybe an extension " ?(?:x|ext\.?) ?\d{1,6}", then
 * \b. With an extension its digits are the whole run of digits before the
 * end (a non-digit precedes them), and the final digit sits before one of
 * the twelve spellings of the rest; without one the final digit is the
 * last byte. The leftmost start over all of them. */
size_t cs__phone_start(const char *text, size_t end) {
  const unsigned char *w = (const unsigned char *)text;
  static const char *const kw[] = {"x", "ext", "ext."};
  if (end == 0 || !digit(w[end - 1])) return end;
  size_t best = phone_lead(w, end - 1), q = end;
  while (q > 0 && digit(w[q - 1])) q--;
  for (int sp2 = 0; sp2 < 2 && end - q <= 6; sp2++) {
    if (sp2 && (q == 0 || w[q - 1] != ' ')) break;
    size_t a = q - (size_t)sp2;
    for (int k = 0; k < 3; k++) {
      size_t kl = strlen(kw[k]);
      if (a < kl || memcmp(w + a - kl, kw[k], kl) != 0) continue;
      for (int sp1 = 0; sp1 < 2; sp1++) {
        size_t c = a - kl;
        if (sp1 && (c == 0 || w[--c] != ' ')) break;
        if (c == 0 || !digit(w[c - 1])) continue;
        size_t s = phone_lead(w, c - 1);
        if (s < best) best = s;
      }
    }
  }
  return best == SIZE_MAX ? end : best;
}

/* \b[a-z]{2}\d{2}(?: ?[a-z0-9]){11,30}\b, caseless: back from the end,
 * character by character, each joined to the one before directly or by one
 * space (one way only). After the 11th to 30th of them (and the space
 * before it, if there is one) come the two digits and two letters of
 * "GB82"; the farthest such start with \b before it. */
size_t cs__iban_start(const char *text, size_t end) {
  const unsigned char *w = (const unsigned char *)text;
  if (end == 0 || !(digit(w[end - 1]) || letter(w[end - 1]))) return end;
  size_t best = end, c = end - 1;
  for (int k = 1; k <= 30; k++) {
    if (k >= 11) {
      size_t x = c > 0 && w[c - 1] == ' ' ? c - 1 : c; /* the unit's own space */
      if (x >= 4 && digit(w[x - 1]) && digit(w[x - 2]) && letter(w[x - 3]) && letter(w[x - 4]) &&
          starts_word(w, x - 4))
        best = x - 4;
    }
    if (c > 0 && (digit(w[c - 1]) || letter(w[c - 1]))) c--;
    else if (c > 1 && w[c - 1] == ' ' && (digit(w[c - 2]) || letter(w[c - 2]))) c -= 2;
    else break;
  }
  return best;
}
