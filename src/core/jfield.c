/* jfield.c — validating accessors for JSON fields (see jfield.h). */
#include "core/jfield.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cs_jf_fail(const cs_jctx_t *c, const char *key, const char *fmt, ...) {
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return cs_diag_set(c->diag, CS_EINVAL, "%s:%zu: %s: %s", c->file, c->line, key, what);
}

int cs_jf_parse_object(const cs_jctx_t *c, json_tokener *tok, const char *line, size_t len,
                       json_object **out) {
  if (len > (size_t)INT32_MAX) return cs_jf_fail(c, "line", "expected a line under 2 GiB");
  json_tokener_reset(tok);
  json_object *o = json_tokener_parse_ex(tok, line, (int)len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  if (!o || jerr != json_tokener_success) {
    if (o) json_object_put(o);
    const char *why = jerr == json_tokener_continue ? "unexpected end of line"
                                                    : json_tokener_error_desc(jerr);
    return cs_diag_set(c->diag, CS_EINVAL, "%s:%zu: expected a JSON object (%s)", c->file,
                       c->line, why);
  }
  size_t used = tok->char_offset;
  while (used < len && (line[used] == ' ' || line[used] == '\t' || line[used] == '\r')) used++;
  if (used != len || !json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    return cs_diag_set(c->diag, CS_EINVAL, "%s:%zu: expected exactly one JSON object per line",
                       c->file, c->line);
  }
  *out = o;
  return CS_OK;
}

/* Looks key up; 0 = absent or null (error if required), 1 = present. */
static int lookup(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                  json_object **v, int *rc) {
  *rc = CS_OK;
  if (!json_object_object_get_ex(o, key, v) || json_object_is_type(*v, json_type_null)) {
    if (required) *rc = cs_jf_fail(c, key, "required field is missing");
    return 0;
  }
  return 1;
}

int cs_jf_string(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                 const char **out, size_t *out_len) {
  json_object *v;
  int rc;
  if (!lookup(c, o, key, required, &v, &rc)) return rc;
  if (!json_object_is_type(v, json_type_string)) return cs_jf_fail(c, key, "expected a string");
  *out = json_object_get_string(v);
  if (out_len) *out_len = (size_t)json_object_get_string_len(v);
  return CS_OK;
}

int cs_jf_ident(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                const char **out) {
  const char *s = NULL;
  size_t n = 0;
  int rc = cs_jf_string(c, o, key, required, &s, &n);
  if (rc < 0 || !s) return rc;
  if (n == 0) return cs_jf_fail(c, key, "expected a non-empty string");
  if (n > 256) return cs_jf_fail(c, key, "expected at most 256 bytes, got %zu", n);
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return cs_jf_fail(c, key, "expected no control characters");
  *out = s;
  return CS_OK;
}

int cs_jf_bool(const cs_jctx_t *c, json_object *o, const char *key, bool required, bool *out,
               bool *present) {
  json_object *v;
  int rc;
  if (present) *present = false;
  if (!lookup(c, o, key, required, &v, &rc)) return rc;
  if (!json_object_is_type(v, json_type_boolean))
    return cs_jf_fail(c, key, "expected a JSON boolean (true or false)");
  *out = json_object_get_boolean(v);
  if (present) *present = true;
  return CS_OK;
}

int cs_jf_time(const cs_jctx_t *c, json_object *o, const char *key, bool required,
               cs_time_t *out, bool *present) {
  const char *s = NULL;
  size_t n = 0;
  if (present) *present = false;
  int rc = cs_jf_string(c, o, key, required, &s, &n);
  if (rc < 0 || !s) return rc;
  rc = cs_time_parse(s, n, out);
  if (rc == CS_ERANGE) return cs_jf_fail(c, key, "expected a time between 1678 and 2261");
  if (rc < 0)
    return cs_jf_fail(c, key, "expected an RFC 3339 time like 2024-05-01T12:00:00Z, got \"%.40s\"",
                      s);
  if (present) *present = true;
  return CS_OK;
}

int cs_jf_date(const cs_jctx_t *c, json_object *o, const char *key, bool required, int32_t *out,
               bool *present) {
  const char *s = NULL;
  size_t n = 0;
  if (present) *present = false;
  int rc = cs_jf_string(c, o, key, required, &s, &n);
  if (rc < 0 || !s) return rc;
  if (cs_date_parse(s, n, out) < 0)
    return cs_jf_fail(c, key, "expected a date YYYY-MM-DD, got \"%.40s\"", s);
  if (present) *present = true;
  return CS_OK;
}

int cs_jf_country(const cs_jctx_t *c, json_object *o, const char *key, bool required,
                  cs_country_t *out) {
  const char *s = NULL;
  size_t n = 0;
  int rc = cs_jf_string(c, o, key, required, &s, &n);
  if (rc < 0 || !s) return rc;
  if (cs_country_parse(s, n, out) < 0) {
    const char *hint = (n == 2 && s[0] == 'U' && s[1] == 'K') ? " (the United Kingdom is GB)" : "";
    return cs_jf_fail(c, key, "expected an ISO 3166-1 alpha-2 code like \"DE\", got \"%.20s\"%s",
                      s, hint);
  }
  return CS_OK;
}
