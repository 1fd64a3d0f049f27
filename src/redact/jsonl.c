/* jsonl.c — redacting the "text" field of a raw JSONL content record.
 *
 * The line is validated and the raw text value located by jscan (core/jscan.h,
 * ~1 GB/s, no allocation); a text without escapes is redacted in place in the
 * line, one with escapes is decoded into the scratch first. The output is the
 * input line with only the bytes of the text value replaced: field order,
 * spacing, number spellings and every other field stay byte for byte. A
 * record with nothing to redact is passed through unchanged. The last "text"
 * key wins, as in json-c. jscan cannot see a key spelt with escapes
 * ("\u0074ext"), so a line where it finds no text but which contains "\u" is
 * parsed again with json-c, which can; such a record is re-serialised by
 * json-c, which keeps field order but may respell numbers.
 */
#include "redact/internal.h"

#include <json-c/json.h>
#include <string.h>

#include "core/jscan.h"

/* Skips a JSON string starting at s[i] == '"'; returns the index after it. */
static size_t skip_string(const char *s, size_t n, size_t i) {
  for (i++; i < n; i++) {
    if (s[i] == '\\') i++;
    else if (s[i] == '"') return i + 1;
  }
  return n;
}

/* Skips one value (already validated by json-c). */
static size_t skip_value(const char *s, size_t n, size_t i) {
  if (s[i] == '"') return skip_string(s, n, i);
  if (s[i] != '{' && s[i] != '[') {
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']') i++;
    return i;
  }
  int depth = 0;
  for (; i < n; i++) {
    if (s[i] == '"') { i = skip_string(s, n, i) - 1; continue; }
    if (s[i] == '{' || s[i] == '[') depth++;
    if (s[i] == '}' || s[i] == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return n;
}

static size_t skip_ws(const char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
  return i;
}

/* Finds the raw span [*vs, *ve) of the last top-level "text" string value. */
static bool find_text_value(const char *s, size_t n, size_t *vs, size_t *ve) {
  bool found = false;
  size_t i = skip_ws(s, n, 0);
  if (i >= n || s[i] != '{') return false;
  i++;
  for (;;) {
    i = skip_ws(s, n, i);
    if (i >= n || s[i] != '"') return found;
    size_t ks = i;
    i = skip_string(s, n, i);
    bool is_text = i - ks == 6 && memcmp(s + ks, "\"text\"", 6) == 0;
    i = skip_ws(s, n, i);
    if (i >= n || s[i] != ':') return found;
    i = skip_ws(s, n, i + 1);
    size_t v = i;
    i = skip_value(s, n, i);
    if (is_text && v < n && s[v] == '"') {
      *vs = v;
      *ve = i;
      found = true;
    }
    i = skip_ws(s, n, i);
    if (i >= n || s[i] != ',') return found;
    i++;
  }
}

/* s[0, n) as a JSON string, quotes and all. */
static int put_escaped(cs__buf_t *b, const char *s, size_t n) {
  int rc = cs__buf_put(b, "\"", 1);
  if (rc == CS_OK) rc = cs__buf_put_json(b, s, n);
  if (rc == CS_OK) rc = cs__buf_put(b, "\"", 1);
  return rc;
}

static int parse_line(json_tokener *tok, const char *line, size_t len, json_object **out,
                      cs_diag_t *diag) {
  if (len > (size_t)INT32_MAX) return cs_diag_set(diag, CS_EINVAL, "line longer than 2 GiB");
  json_tokener_reset(tok);
  json_object *o = json_tokener_parse_ex(tok, line, (int)len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  if (!o || jerr != json_tokener_success) {
    if (o) json_object_put(o);
    return cs_diag_set(diag, CS_EINVAL, "expected a JSON object (%s)",
                       jerr == json_tokener_continue ? "unexpected end of line"
                                                     : json_tokener_error_desc(jerr));
  }
  size_t used = skip_ws(line, len, (size_t)tok->char_offset);
  if (used != len || !json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    return cs_diag_set(diag, CS_EINVAL, "expected exactly one JSON object per line");
  }
  *out = o;
  return CS_OK;
}

/* Builds the output line from the redacted text. */
static int splice(cs_redact_scratch_t *s, json_object *o, const char *line, size_t len,
                  const char *red, size_t red_len) {
  cs__buf_t *b = cs__scratch_line(s);
  size_t vs, ve;
  b->len = 0;
  if (find_text_value(line, len, &vs, &ve)) {
    int rc = cs__buf_put(b, line, vs);
    if (rc == CS_OK) rc = put_escaped(b, red, red_len);
    if (rc == CS_OK) rc = cs__buf_put(b, line + ve, len - ve);
    return rc;
  }
  json_object *v = json_object_new_string_len(red, (int)red_len);
  if (!v) return CS_ENOMEM;
  json_object_object_add(o, "text", v);
  const char *js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE);
  return js ? cs__buf_put(b, js, strlen(js)) : CS_ENOMEM;
}

/* The slow path for a line whose text key jscan could not see. */
static int jsonl_line_jsonc(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *line,
                            size_t len, const char **out, size_t *out_len,
                            cs_redact_result_t *res, cs_diag_t *diag) {
  json_object *o = NULL, *tv = NULL;
  int rc = parse_line(cs__scratch_tokener(s), line, len, &o, diag);
  if (rc < 0) return rc;
  *out = line;
  *out_len = len;
  if (!json_object_object_get_ex(o, "text", &tv) || json_object_is_type(tv, json_type_null))
    goto done;
  if (!json_object_is_type(tv, json_type_string)) {
    rc = cs_diag_set(diag, CS_EINVAL, "text: expected a string");
    goto done;
  }
  const char *red;
  size_t red_len;
  rc = cs_redact_text(r, s, json_object_get_string(tv), (size_t)json_object_get_string_len(tv),
                      &red, &red_len, res);
  if (rc < 0) {
    cs_diag_set(diag, rc, "text: %s", cs_strerror(rc));
  } else if (res->changed) {
    rc = splice(s, o, line, len, red, red_len);
    if (rc < 0) cs_diag_set(diag, rc, "%s", cs_strerror(rc));
    *out = cs__scratch_line(s)->buf;
    *out_len = cs__scratch_line(s)->len;
  }
done:
  json_object_put(o); /* json-c's copy of the text is freed unzeroed: a known wart */
  return rc;
}

/* Writes line with its raw text value [vs, ve) (quotes included) replaced by
 * the redacted text, rendered straight into the scratch line buffer,
 * escaped: no copy of the redacted text is made first. */
static int splice_raw(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *line,
                      size_t len, size_t vs, size_t ve, const char *text, size_t text_len,
                      const cs_pii_match_t *m, size_t n) {
  cs__buf_t *b = cs__scratch_line(s);
  b->len = 0;
  int rc = cs__buf_reserve(b, len + 64);
  if (rc == CS_OK) rc = cs__buf_put(b, line, vs + 1); /* up to the opening quote */
  if (rc == CS_OK) rc = cs__redact_render_json(r, text, text_len, m, n, b);
  if (rc == CS_OK) rc = cs__buf_put(b, line + ve - 1, len - ve + 1); /* from the closing quote */
  return rc;
}

int cs_redact_jsonl_line(const cs_redactor_t *r, cs_redact_scratch_t *s, const char *line,
                         size_t len, const char **out, size_t *out_len, cs_redact_result_t *res,
                         cs_diag_t *diag) {
  cs_redact_result_t local;
  if (!res) res = &local;
  memset(res, 0, sizeof *res);
  cs_jscan_field_t f = {.name = "text"};
  size_t at;
  const char *what;
  if (cs_jscan_object(line, len, &f, 1, &at, &what) < 0)
    return cs_diag_set(diag, CS_EINVAL, "expected a JSON object (%s at byte %zu)", what, at + 1);
  *out = line;
  *out_len = len;
  if (f.type == CS_JSON_ABSENT && memmem(line, len, "\\u", 2))
    return jsonl_line_jsonc(r, s, line, len, out, out_len, res, diag);
  if (f.type == CS_JSON_ABSENT || f.type == CS_JSON_NULL) return CS_OK;
  if (f.type != CS_JSON_STRING) return cs_diag_set(diag, CS_EINVAL, "text: expected a string");
  const char *text = f.raw;
  size_t text_len = f.raw_len;
  int rc = CS_OK;
  if (f.escaped) { /* decoded text is never longer than its escaped form */
    cs__buf_t *d = cs__scratch_text(s);
    d->len = 0;
    rc = cs__buf_reserve(d, f.raw_len);
    if (rc == CS_OK) rc = cs_jscan_unescape(f.raw, f.raw_len, d->buf, d->cap, &text_len);
    text = d->buf;
  }
  const cs_pii_match_t *m = NULL;
  size_t n = 0;
  if (rc == CS_OK) rc = cs__redact_result(r, s, text, text_len, &m, &n, res);
  if (rc < 0) return cs_diag_set(diag, rc, "text: %s", cs_strerror(rc));
  if (!res->changed) return CS_OK;
  size_t vs = (size_t)(f.raw - line) - 1, ve = (size_t)(f.raw - line) + f.raw_len + 1;
  rc = splice_raw(r, s, line, len, vs, ve, text, text_len, m, n);
  if (rc < 0) return cs_diag_set(diag, rc, "%s", cs_strerror(rc));
  *out = cs__scratch_line(s)->buf;
  *out_len = cs__scratch_line(s)->len;
  return CS_OK;
}
