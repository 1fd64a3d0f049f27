/* validate.c — checks that turn pattern candidates into matches.
 *
 * Each validator answers "is this really one?" for a candidate span and is
 * where look-alikes are turned away: Luhn for cards, ISO 7064 mod-97 for
 * IBANs, SSA area/group/serial rules for SSNs, HMRC prefix rules for NINOs,
 * inet_pton for IP addresses, and per-country digit counts and grouping for
 * phone numbers (dates, decimals, money and plain counts are not phones).
 */
#include "redact/internal.h"

#include <arpa/inet.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

bool cs__valid_luhn_card(const char *s, size_t n) {
  int digits[19], nd = 0, group = 0, first_group = 0, short_groups = 0;
  char sep = 0;
  for (size_t i = 0; i < n; i++) {
    if (is_digit(s[i])) {
      if (nd == 19) return false;
      digits[nd++] = s[i] - '0';
      group++;
      continue;
    }
    if (sep && s[i] != sep) return false; /* mixed separators: not how cards are written */
    sep = s[i];
    if (!first_group) first_group = group;
    short_groups += group < 3;
    group = 0;
  }
  /* written in groups, cards start with four digits: 4-4-4-4, 4-6-5, 4-6-4 */
  if (sep && (first_group != 4 || short_groups || group < 2)) return false;
  if (nd < 12) return false;
  int sum = 0;
  for (int i = nd - 1, dbl = 0; i >= 0; i--, dbl ^= 1) {
    int d = digits[i] * (dbl ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  if (sum % 10 != 0) return false;
  int p2 = digits[0] * 10 + digits[1];
  int p4 = p2 * 100 + digits[2] * 10 + digits[3];
  /* legacy JCB 15-digit numbers start 1800 or 2131; Maestro has 12-digit ones */
  if (p4 == 1800 || p4 == 2131) return nd == 15;
  if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759 ||
      p4 == 6761 || p4 == 6762 || p4 == 6763 || p4 == 604)
    return true;
  if (nd < 13) return false;
  /* issuer prefixes: Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro */
  return digits[0] == 4 || (p2 >= 51 && p2 <= 55) || (p2 >= 22 && p2 <= 27) || p2 == 34 ||
         p2 == 37 || p2 == 60 || p2 == 62 || p2 == 64 || p2 == 65 || p2 == 35 || p2 == 36 ||
         p2 == 30 || p2 == 38 || p2 == 50 || p2 == 56 || p2 == 57 || p2 == 58 || p2 == 67 ||
         p2 == 63;
}

static const struct {
  char cc[3];
  unsigned char len;
} iban_lengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
    {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
    {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
    {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
    {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
    {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
    {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

bool cs__valid_iban(const char *s, size_t n) {
  if (n < 15 || n > 34) return false;
  bool known = false;
  for (size_t i = 0; i < sizeof iban_lengths / sizeof iban_lengths[0]; i++)
    if (s[0] == iban_lengths[i].cc[0] && s[1] == iban_lengths[i].cc[1]) {
      if (n != iban_lengths[i].len) return false;
      known = true;
    }
  if (!known) return false;
  unsigned rem = 0;
  for (size_t k = 0; k < n; k++) {
    char c = s[(k + 4) % n]; /* the first four characters move to the end */
    if (is_digit(c)) rem = (rem * 10 + (unsigned)(c - '0')) % 97;
    else if (c >= 'A' && c <= 'Z') rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
    else return false;
  }
  return rem == 1;
}

/* Whether one of the words appears (any case) in the 48 bytes before start. */
static bool context_before(const char *text, size_t start, const char *const *words) {
  size_t from = start > 48 ? start - 48 : 0;
  for (const char *const *w = words; *w; w++) {
    size_t wl = strlen(*w);
    for (size_t i = from; i + wl <= start; i++) {
      size_t k = 0;
      while (k < wl && lower(text[i + k]) == (*w)[k]) k++;
      if (k == wl) return true;
    }
  }
  return false;
}

bool cs__valid_ssn(const char *text, size_t len, size_t start, size_t end) {
  static const char *const cues[] = {"ssn", "social security", "social sec", "ss#", NULL};
  int d[9], nd = 0;
  char seps[2] = {0, 0};
  int ns = 0;
  (void)len;
  for (size_t i = start; i < end; i++) {
    if (is_digit(text[i])) {
      if (nd == 9) return false;
      d[nd++] = text[i] - '0';
    } else if (ns < 2) {
      seps[ns++] = text[i];
    }
  }
  if (nd != 9 || (ns == 1) || (ns == 2 && seps[0] != seps[1])) return false;
  int area = d[0] * 100 + d[1] * 10 + d[2], group = d[3] * 10 + d[4];
  int serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
  if (ns == 0 || seps[0] == ' ') return context_before(text, start, cues);
  return true;
}

bool cs__valid_nino(const char *s, size_t n) {
  static const char *const bad_prefix[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ", NULL};
  if (n != 9) return false;
  if (strchr("DFIQUV", s[0]) || strchr("DFIOQUV", s[1])) return false;
  for (const char *const *p = bad_prefix; *p; p++)
    if (s[0] == (*p)[0] && s[1] == (*p)[1]) return false;
  for (int i = 2; i < 8; i++)
    if (!is_digit(s[i])) return false;
  return s[8] >= 'A' && s[8] <= 'D';
}

bool cs__valid_ipv4(const char *s, size_t n) {
  char buf[16];
  unsigned char addr[4];
  if (n >= sizeof buf) return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return inet_pton(AF_INET, buf, addr) == 1;
}

bool cs__valid_ipv6(const char *s, size_t n) {
  char buf[48];
  unsigned char addr[16];
  if (n < 3 || n >= sizeof buf) return false;
  int colons = 0, hex = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == ':') colons++;
    else if (s[i] != '.') hex++;
  }
  if (hex < 4 || (colons < 7 && !memmem(s, n, "::", 2))) return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return inet_pton(AF_INET6, buf, addr) == 1;
}

size_t cs__trim_url(const char *text, size_t start, size_t end) {
  while (end > start) {
    char c = text[end - 1];
    if (strchr(".,;:!?'\"*", c)) { end--; continue; }
    if (c == ')' || c == ']') {
      char open = c == ')' ? '(' : '[';
      int bal = 0;
      for (size_t i = start; i < end; i++) bal += (text[i] == open) - (text[i] == c);
      if (bal < 0) { end--; continue; }
    }
    break;
  }
  return end;
}
