/* country.h — ISO 3166-1 alpha-2 country codes.
 *
 * A country is a cs_country_t: 0 means "no known country"; any other value is
 * one of the 249 officially assigned alpha-2 codes (user-assigned or reserved
 * codes such as XK, UK or EU are rejected). Codes are upper case on input and
 * output. Pure functions, thread-safe.
 */
#ifndef CONSENTRY_COUNTRY_H
#define CONSENTRY_COUNTRY_H

#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>

typedef uint16_t cs_country_t;
#define CS_COUNTRY_NONE ((cs_country_t)0)
#define CS_COUNTRY_SLOTS (26 * 26 + 1) /* size of a table indexed by cs_country_t */

/* Parses a two-letter code; CS_EINVAL unless it is an assigned ISO code. */
CS_MUST_USE int cs_country_parse(const char *s, size_t len, cs_country_t *out);

/* Writes the code (2 letters + NUL, or "" for CS_COUNTRY_NONE) into out. */
void cs_country_str(cs_country_t c, char out[3]);

/* Calls fn for every assigned code, in alphabetical order. */
void cs_country_each(void (*fn)(void *ctx, cs_country_t c), void *ctx);

#endif
