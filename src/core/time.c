/* time.c — RFC 3339 parsing and formatting, civil-date arithmetic.
 *
 * The civil conversions are Howard Hinnant's well-known days_from_civil
 * algorithm (public domain description), written out here for int64 years. */
#include <consentry/time.h>

#include <stdio.h>
#include <time.h>

int32_t cs_days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);                     /* [0, 399] */
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
  return (int32_t)(era * 146097 + (int64_t)doe - 719468);
}

void cs_civil_from_days(int32_t days, int64_t *y, unsigned *m, unsigned *d) {
  const int64_t z = (int64_t)days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n decimal digits. */
static bool digits(const char *s, size_t n, unsigned *out) {
  unsigned v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  *out = v;
  return true;
}

/* "YYYY-MM-DD" at s (10 bytes, already length-checked). */
static bool parse_ymd(const char *s, unsigned *y, unsigned *m, unsigned *d) {
  if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m) || s[7] != '-' ||
      !digits(s + 8, 2, d))
    return false;
  return *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

int cs_date_parse(const char *s, size_t len, int32_t *out_days) {
  unsigned y, m, d;
  if (len != 10 || !parse_ymd(s, &y, &m, &d)) return CS_EINVAL;
  *out_days = cs_days_from_civil(y, m, d);
  return CS_OK;
}

#define CS_MIN_SEC (INT64_MIN / CS_NS_PER_SEC + 1)
#define CS_MAX_SEC (INT64_MAX / CS_NS_PER_SEC - 1)

int cs_time_parse(const char *s, size_t len, cs_time_t *out) {
  unsigned y, mo, d, h, mi, sec;
  if (len < 20 || !parse_ymd(s, &y, &mo, &d)) return CS_EINVAL;
  if ((s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) || s[13] != ':' ||
      !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
    return CS_EINVAL;
  /* A leap second (:60) has no POSIX representation; reject it rather than
   * silently moving the instant. */
  if (h > 23 || mi > 59 || sec > 59) return CS_EINVAL;
  size_t i = 19;
  int64_t frac = 0;
  if (s[i] == '.') {
    size_t nd = 0;
    for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++)
      if (nd < 9) frac = frac * 10 + (s[i] - '0');
    if (nd == 0) return CS_EINVAL;
    for (; nd < 9; nd++) frac *= 10;
  }
  if (i >= len) return CS_EINVAL;
  int64_t offset_sec = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    i++;
  } else if (s[i] == '+' || s[i] == '-') {
    unsigned oh, om;
    if (len - i != 6 || !digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
        !digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
      return CS_EINVAL;
    offset_sec = (int64_t)(oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return CS_EINVAL;
  }
  if (i != len) return CS_EINVAL;
  int64_t secs = (int64_t)cs_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
                 offset_sec;
  if (secs < CS_MIN_SEC || secs > CS_MAX_SEC) return CS_ERANGE;
  *out = secs * CS_NS_PER_SEC + frac;
  return CS_OK;
}

size_t cs_time_format(cs_time_t t, char *buf) {
  int64_t secs = t / CS_NS_PER_SEC, frac = t % CS_NS_PER_SEC;
  if (frac < 0) {
    frac += CS_NS_PER_SEC;
    secs -= 1;
  }
  int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  int64_t y;
  unsigned m, d;
  cs_civil_from_days((int32_t)days, &y, &m, &d);
  int n = snprintf(buf, CS_TIME_STR_MAX, "%04lld-%02u-%02uT%02u:%02u:%02u", (long long)y, m, d,
                   (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
  if (frac) {
    int width = 9;
    while (frac % 10 == 0) {
      frac /= 10;
      width--;
    }
    n += snprintf(buf + n, CS_TIME_STR_MAX - (size_t)n, ".%0*lld", width, (long long)frac);
  }
  buf[n++] = 'Z';
  buf[n] = '\0';
  return (size_t)n;
}

int cs_time_now(cs_time_t *out) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return CS_EIO;
  *out = (int64_t)ts.tv_sec * CS_NS_PER_SEC + ts.tv_nsec;
  return CS_OK;
}

int32_t cs_time_day(cs_time_t t) {
  int64_t days = t / CS_NS_PER_DAY;
  if (t % CS_NS_PER_DAY < 0) days -= 1;
  return (int32_t)days;
}

int32_t cs_date_add_years(int32_t birth_days, int years) {
  int64_t y;
  unsigned m, d;
  cs_civil_from_days(birth_days, &y, &m, &d);
  y += years;
  if (m == 2 && d == 29 && !is_leap(y)) {
    m = 3;
    d = 1;
  }
  return cs_days_from_civil(y, m, d);
}
