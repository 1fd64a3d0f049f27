/* jfield.h — typed, validating field access on json-c objects (internal).
 *
 * Every getter reports failures as "FILE:LINE: field: expected ..." through
 * the context's diag and returns CS_EINVAL, so all input validation speaks
 * with one voice. `required` false means a missing field (or JSON null) is
 * not an error: *present (where given) is set to 0 and *out untouched.
 * Strings returned point into the json object and live as long as it does.
 */
#ifndef CS_CORE_JFIELD_H
#define CS_CORE_JFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include <consentry/country.h>
#include <consentry/error.h>
#include <consentry/time.h>

typedef struct {
  const char *file; /* the input's name as the user gave it */
  size_t line;      /* 1-based */
  cs_diag_t *diag;
} cs_jctx_t;

/* Parses one line as a JSON object; CS_EINVAL with "FILE:LINE: ..." if the
 * line is not exactly one JSON object. *out must be released with
 * json_object_put. tok is a reusable tokener (json_tokener_new()). */
CS_MUST_USE int cs_jf_parse_object(const cs_jctx_t *c, json_tokener *tok, const char *line,
                                   size_t len, json_object **out);

CS_MUST_USE int cs_jf_string(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                             const char **out, size_t *out_len);
/* A non-empty string, rejecting control characters: ids, names, versions. */
CS_MUST_USE int cs_jf_ident(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                            const char **out);
CS_MUST_USE int cs_jf_bool(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                           bool *out, bool *present);
CS_MUST_USE int cs_jf_time(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                           cs_time_t *out, bool *present);
CS_MUST_USE int cs_jf_date(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                           int32_t *out, bool *present);
CS_MUST_USE int cs_jf_country(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                              cs_country_t *out);

/* Formats the standard error "FILE:LINE: key: expected <what>". */
int cs_jf_fail(const cs_jctx_t *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
