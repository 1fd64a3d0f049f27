/* synth_util.h — helpers shared by the synth tests: temporary directories,
 * whole-file reads, UTF-8 code point arithmetic and independent validators
 * (written here again on purpose, so the tests do not trust the generator's
 * own check-digit code). */
#ifndef CS_TESTS_SYNTH_UTIL_H
#define CS_TESTS_SYNTH_UTIL_H

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline char *tmp_dir(void) {
  static char buf[8][64];
  static int n;
  char *b = buf[n++ % 8];
  snprintf(b, 64, "/tmp/cs_synth_testXXXXXX");
  return mkdtemp(b);
}

/* Reads a whole file; *len gets its size. NULL if it cannot be read. */
static inline char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  if (b) {
    b[n] = '\0';
    *len = (size_t)n;
  }
  return b;
}

static inline char *path_in(const char *dir, const char *name) {
  static char buf[4][1100];
  static int n;
  char *b = buf[n++ % 4];
  snprintf(b, 1100, "%s/%s", dir, name);
  return b;
}

/* Byte offset of code point cp in s (len bytes); (size_t)-1 if past the end. */
static inline size_t cp_to_byte(const char *s, size_t len, size_t cp) {
  size_t b = 0, c = 0;
  while (c < cp && b < len) {
    b++;
    while (b < len && ((unsigned char)s[b] & 0xC0) == 0x80) b++;
    c++;
  }
  return c == cp ? b : (size_t)-1;
}

static inline size_t digits_of(const char *s, size_t n, char *out, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < n && k + 1 < cap; i++)
    if (s[i] >= '0' && s[i] <= '9') out[k++] = s[i];
  out[k] = '\0';
  return k;
}

static inline bool t_luhn(const char *d, size_t n) {
  int sum = 0;
  for (size_t i = 0; i < n; i++) {
    int v = d[n - 1 - i] - '0';
    if (i % 2 == 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 == 0;
}

/* ISO 13616: move the first four characters to the end, letters to 10..35,
 * the number mod 97 must be 1; the length must match the country. */
static inline bool t_iban(const char *s, size_t n) {
  char c[64];
  size_t k = 0;
  for (size_t i = 0; i < n && k < 63; i++)
    if (s[i] != ' ') c[k++] = s[i];
  static const struct {
    const char *cc;
    size_t len;
  } lens[] = {{"DE", 22}, {"GB", 22}, {"FR", 27}, {"NL", 18}, {"ES", 24}, {"BE", 16}};
  bool len_ok = false;
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
    if (k >= 2 && !memcmp(c, lens[i].cc, 2)) len_ok = k == lens[i].len;
  if (!len_ok) return false;
  unsigned r = 0;
  for (size_t i = 0; i < k; i++) {
    char ch = c[(i + 4) % k];
    if (isdigit((unsigned char)ch)) r = (r * 10 + (unsigned)(ch - '0')) % 97;
    else if (ch >= 'A' && ch <= 'Z') r = (r * 100 + (unsigned)(ch - 'A' + 10)) % 97;
    else return false;
  }
  return r == 1;
}

/* Value of n decimal digits at s; -1 if any is not a digit. */
static inline int num_at(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* AAA-GG-SSSS: area 001..899 but not 666, group 01..99, serial 0001..9999. */
static inline bool t_ssn(const char *s, size_t n) {
  if (n != 11 || !(s[3] == '-' || s[3] == ' ') || s[6] != s[3]) return false;
  int area = num_at(s, 3), group = num_at(s + 4, 2), serial = num_at(s + 7, 4);
  return area >= 1 && area <= 899 && area != 666 && group >= 1 && serial >= 1;
}

/* HMRC rules: no D F I Q U V first, no D F I O Q U V second, not BG GB KN NK
 * NT TN ZZ; six digits; suffix A..D; spaces between pairs allowed. */
static inline bool t_nino(const char *s, size_t n) {
  char c[16];
  size_t k = 0;
  for (size_t i = 0; i < n && k < 15; i++)
    if (s[i] != ' ') c[k++] = s[i];
  if (k != 9 || !isupper((unsigned char)c[0]) || !isupper((unsigned char)c[1])) return false;
  if (strchr("DFIQUV", c[0]) || strchr("DFIOQUV", c[1])) return false;
  static const char *const banned[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
  for (int i = 0; i < 7; i++)
    if (!memcmp(c, banned[i], 2)) return false;
  return num_at(c + 2, 6) >= 0 && c[8] >= 'A' && c[8] <= 'D';
}

#endif
