/* pattern_table.h — the Hyperscan patterns of the structured types.
 *
 * Included by patterns.c, which compiles and validates them, and by the
 * build-time generator cmake/hsdb_gen.c, which compiles the same table once
 * and embeds the serialised databases in the library (gen/redact_hsdb.c), so
 * that a redactor starts without a 0.1 s compile. Both take the Hyperscan
 * flags from pattern_hs_flags(): one table, one meaning.
 */
#ifndef CS_REDACT_PATTERN_TABLE_H
#define CS_REDACT_PATTERN_TABLE_H

#include <stdbool.h>

#include <hs/hs.h>

#include <consentry/redact.h>

#define ANCHOR (1u << 31)  /* our markers, stripped before compiling */
#define NUMERIC (1u << 30) /* in the numeric database (see cs__patterns_compile) */
#define ALNUM (1u << 29)   /* in the alphanumeric database (see cs__alnum_window) */
#define OWN_START (1u << 28) /* scanned without start of match: starts.c finds it */
#define CARD (1u << 27)    /* in the card database (numeric stretches of 12+ digits) */

/* The four databases: the anchors, over the text around their triggers
 * (cs__anchor_window); the numeric
 * patterns, over stretches of digits (cs__numeric_window); the rest, whose
 * every match has a digit or ':' within its first five bytes and is at most
 * 64 bytes long, over the text around digits and colons (cs__alnum_window);
 * and the card pattern, over the numeric stretches with twelve digits or
 * more. The card pattern has a database of its own: with the other numeric
 * patterns it cost Hyperscan three times what it costs alone (a bounded
 * repeat of a group, 3.5M against 1.6M instructions on 2 MB of posts), and
 * most stretches (phone numbers) are too short for it anyway. */
enum { PART_MAIN, PART_NUM, PART_ALNUM, PART_CARD, PART_N };

typedef enum {
  V_EMAIL, V_URL, V_DOMAIN, V_IPV4, V_IPV6, V_CARD, V_IBAN, V_SSN, V_NINO, V_PHONE, V_POSTCODE
} vkind_t;

/* Anchored kinds (email, URL, www, domain) match only a literal anchor
 * without start-of-match tracking: "@", "://", "www.", ".com"; their
 * validators grow the span outwards themselves. That keeps Hyperscan on its
 * fast literal path for the commonest characters, where a leftmost-start
 * pattern like [a-z0-9.]+@ would track a start at every word. */
static const struct {
  cs_pii_type_t type;
  vkind_t check;
  unsigned flags;
  const char *re;
} patterns[] = {
    {CS_PII_EMAIL, V_EMAIL, ANCHOR, "@[A-Za-z0-9\\x80-\\xff]"},
    {CS_PII_URL, V_URL, ANCHOR | HS_FLAG_CASELESS, "\\b(?:https?|ftp)://"},
    {CS_PII_URL, V_URL, ANCHOR | HS_FLAG_CASELESS, "\\bwww\\.[a-z0-9]"},
    {CS_PII_URL, V_DOMAIN, ANCHOR | HS_FLAG_CASELESS,
     "[a-z0-9]\\.(?:com|org|net|edu|gov|io|uk|de|fr|ng|br|nl|es|ru|info|biz|ai|app|dev|ly|tv|"
     "ca|au|ch|se|dk|fi|pl|cz|pt|gr|ie|jp|cn|za|mx|nz|eu|xyz|online|site|tech|hu|ro|sk|si|hr|"
     "lt|lv|ee|il|tr|ua|kr|tw|hk|sg|my|ke)\\b"},
    {CS_PII_IP, V_IPV4, NUMERIC | OWN_START, "\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b"},
    {CS_PII_IP, V_IPV6, ALNUM, "[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\\.\\d{1,3}){0,3}"},
    {CS_PII_CREDIT_CARD, V_CARD, CARD | OWN_START, "\\b\\d(?:[ \\-]?\\d){11,18}\\b"},
    {CS_PII_IBAN, V_IBAN, ALNUM | OWN_START | HS_FLAG_CASELESS, "\\b[a-z]{2}\\d{2}(?: ?[a-z0-9]){11,30}\\b"},
    {CS_PII_SSN, V_SSN, NUMERIC | OWN_START, "\\b\\d{3}[\\- ]?\\d{2}[\\- ]?\\d{4}\\b"},
    {CS_PII_NINO, V_NINO, ALNUM | HS_FLAG_CASELESS, "\\b[a-z]{2} ?\\d{2} ?\\d{2} ?\\d{2} ?[a-d]\\b"},
    {CS_PII_PHONE, V_PHONE, NUMERIC | OWN_START,
     "(?:\\+\\d|\\(\\d|\\b\\d)[\\d \\-./()]{5,24}\\d(?: ?(?:x|ext\\.?) ?\\d{1,6})?\\b"},
    {CS_PII_ADDRESS, V_POSTCODE, ALNUM, "\\b[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}\\b"},
    {CS_PII_ADDRESS, V_POSTCODE, ALNUM, "\\b[A-Z]\\d[A-Z] ?\\d[A-Z]\\d\\b"},
};
#define N_PATTERNS (sizeof patterns / sizeof patterns[0])

/* The database (PART_*) pattern i belongs to. */
static inline int pattern_part(unsigned i) {
  unsigned f = patterns[i].flags;
  return f & NUMERIC ? PART_NUM : f & ALNUM ? PART_ALNUM : f & CARD ? PART_CARD : PART_MAIN;
}

/* The Hyperscan flags of pattern i: the anchors and the OWN_START patterns
 * without start-of-match tracking (the anchors' validators grow the span;
 * starts.c finds the others' starts at a fraction of what Hyperscan's
 * tracking costs a call), the rest with leftmost start. */
static inline unsigned pattern_hs_flags(unsigned i) {
  unsigned f = patterns[i].flags & ~(NUMERIC | ALNUM | CARD);
  if (f & (ANCHOR | OWN_START)) return f & ~(ANCHOR | OWN_START);
  return f | HS_FLAG_SOM_LEFTMOST;
}

/* Compiles the patterns of one database (PART_*), for the build-time
 * generator and the run-time fallback alike. ids receives the pattern index
 * of each expression (N_PATTERNS entries), so a compile error's
 * err->expression can be named. */
static inline hs_error_t pattern_part_compile(int part, hs_database_t **db,
                                              hs_compile_error_t **err, unsigned *ids) {
  const char *exprs[N_PATTERNS];
  unsigned flags[N_PATTERNS], n = 0;
  for (unsigned i = 0; i < N_PATTERNS; i++) {
    if (pattern_part(i) != part) continue;
    exprs[n] = patterns[i].re;
    flags[n] = pattern_hs_flags(i);
    ids[n++] = i;
  }
  return hs_compile_multi(exprs, flags, ids, n, HS_MODE_BLOCK, NULL, db, err);
}

#endif
