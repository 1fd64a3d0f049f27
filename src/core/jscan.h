/* jscan.h — validate one JSON object line and pick top-level fields (internal).
 *
 * Why not json-c here: the gate reads every content record but needs five
 * short fields; building a json-c tree of the whole record (the text is most
 * of it) ran at ~400 MB/s, well short of the gate's goal. jscan validates the
 * full RFC 8259 syntax of the line (so malformed input is still rejected),
 * skims string contents 16 bytes at a time, and reports only the wanted keys'
 * raw value spans. UTF-8 is not validated (invalid bytes pass through, as the
 * redaction contract requires). Duplicate keys: the last one wins. Pure and
 * thread-safe; no allocation.
 */
#ifndef CS_CORE_JSCAN_H
#define CS_CORE_JSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include <consentry/error.h>

typedef enum {
  CS_JSON_ABSENT = 0,
  CS_JSON_NULL,
  CS_JSON_FALSE,
  CS_JSON_TRUE,
  CS_JSON_NUMBER,
  CS_JSON_STRING,
  CS_JSON_ARRAY,
  CS_JSON_OBJECT
} cs_json_type_t;

typedef struct {
  const char *name;     /* in: the key wanted (plain ASCII, no escapes) */
  cs_json_type_t type;  /* out: CS_JSON_ABSENT if the key is not there */
  const char *raw;      /* out: strings: the bytes between the quotes, escapes
                           not decoded; other types: the value's text */
  size_t raw_len;
  bool escaped;         /* out: the string contains backslash escapes */
} cs_jscan_field_t;

/* Validates that line is exactly one JSON object (surrounding whitespace
 * allowed) and fills the fields (at most 16; more are not looked for). On CS_EINVAL, *err_at is the byte offset of
 * the problem and *err_what a static description. */
CS_MUST_USE int cs_jscan_object(const char *line, size_t len, cs_jscan_field_t *fields,
                                size_t n_fields, size_t *err_at, const char **err_what);

/* The first byte in [p, end) that a JSON string cannot hold as it is ('"',
 * '\\' or a control byte), or end: sixteen bytes at a time where SSE2 is
 * there. For writers of JSON strings as much as for the scanner. */
const char *cs_jscan_skim(const char *p, const char *end);

/* Decodes a validated string's raw bytes (escapes, \uXXXX with surrogate
 * pairs to UTF-8) into out; CS_ERANGE if it does not fit in cap. */
CS_MUST_USE int cs_jscan_unescape(const char *raw, size_t raw_len, char *out, size_t cap,
                                  size_t *out_len);

#endif
