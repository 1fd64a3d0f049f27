/* time.h — instants and dates as the privacy model uses them.
 *
 * An instant is an int64 count of nanoseconds since 1970-01-01T00:00:00Z.
 * RFC 3339 input may carry an offset (+02:00); it is folded into UTC, so two
 * spellings of the same instant compare equal. Fractional seconds keep up to
 * nine digits; further digits are truncated (documented in docs/FORMATS.md).
 * The representable range is years 1678..2261; anything outside is CS_ERANGE.
 *
 * A date (birth_date) is an int32 count of days since 1970-01-01.
 *
 * Thread safety: all functions are pure except cs_time_now.
 */
#ifndef CONSENTRY_TIME_H
#define CONSENTRY_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>

typedef int64_t cs_time_t;

#define CS_TIME_NEVER INT64_MAX /* "no such event", later than any instant */
#define CS_NS_PER_SEC INT64_C(1000000000)
#define CS_NS_PER_DAY (INT64_C(86400) * CS_NS_PER_SEC)
#define CS_NO_DATE INT32_MIN    /* a missing date */
#define CS_TIME_STR_MAX 40      /* room for any formatted instant */

/* Parses an RFC 3339 date-time ("2024-05-01T12:00:00Z", "...+02:00",
 * ".123456789Z"; 'T'/'t' and 'Z'/'z' both accepted). Returns CS_EINVAL with
 * nothing written for anything else, including out-of-range fields such as
 * 2023-02-29 or 24:00:00. s need not be NUL-terminated. */
CS_MUST_USE int cs_time_parse(const char *s, size_t len, cs_time_t *out);

/* Writes the canonical UTC form ("2024-05-01T10:00:00Z", with a fractional
 * part only when non-zero, trailing zeros dropped) into buf and returns its
 * length. buf must hold CS_TIME_STR_MAX bytes. */
size_t cs_time_format(cs_time_t t, char *buf);

/* The current wall-clock instant. */
CS_MUST_USE int cs_time_now(cs_time_t *out);

/* Parses "YYYY-MM-DD" (a full-date as in RFC 3339) into days since epoch. */
CS_MUST_USE int cs_date_parse(const char *s, size_t len, int32_t *out_days);

/* Days since epoch of the UTC calendar day containing t. */
int32_t cs_time_day(cs_time_t t);

/* Days since epoch for a civil date (proleptic Gregorian), and back. */
int32_t cs_days_from_civil(int64_t y, unsigned m, unsigned d);
void cs_civil_from_days(int32_t days, int64_t *y, unsigned *m, unsigned *d);

/* The day on which someone born on birth_days turns `years` old. A 29 February
 * birthday falls on 1 March in common years (the stricter reading: not yet
 * of age on 28 February). */
int32_t cs_date_add_years(int32_t birth_days, int years);

#endif
