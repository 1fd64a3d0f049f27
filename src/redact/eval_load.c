/* eval_load.c — reading labelled data for cs_redact_eval_file.
 *
 * Two formats, told apart by the first non-blank byte:
 *   '['  Presidio's benchmark: a JSON array of {full_text, spans: [{entity_type,
 *        start_position, end_position}]};
 *   '{'  synth labels.jsonl: {id, spans: [{type,start,end}], lookalikes: [...]},
 *        one line per record of content.jsonl (matched by id).
 * Offsets in both are Unicode code points (Python string indices), end
 * exclusive; they are converted to byte offsets into the UTF-8 text here.
 */
#include "redact/internal.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "core/lines.h"

/* Byte offset of code point index cp in text (invalid bytes count as one). */
static size_t cp_to_byte(const char *text, size_t len, size_t cp) {
  size_t i = 0;
  while (cp > 0 && i < len) {
    uint32_t c;
    size_t k = cs__utf8_decode((const unsigned char *)text + i, len - i, &c);
    i += k ? k : 1;
    cp--;
  }
  return i;
}

typedef struct {
  cs_eval_span_t *v;
  size_t n, cap;
} spans_t;

static int spans_from_json(json_object *arr, const char *kt, const char *ks, const char *ke,
                           const char *text, size_t len, spans_t *out) {
  out->n = 0;
  if (!arr || !json_object_is_type(arr, json_type_array)) return CS_OK;
  size_t n = json_object_array_length(arr);
  if (n > out->cap) {
    cs_eval_span_t *nv = realloc(out->v, n * sizeof *nv);
    if (!nv) return CS_ENOMEM;
    out->v = nv;
    out->cap = n;
  }
  for (size_t i = 0; i < n; i++) {
    json_object *sp = json_object_array_get_idx(arr, i), *t, *s, *e;
    if (!json_object_object_get_ex(sp, kt, &t) || !json_object_object_get_ex(sp, ks, &s) ||
        !json_object_object_get_ex(sp, ke, &e))
      return CS_EINVAL;
    int64_t a = json_object_get_int64(s), b = json_object_get_int64(e);
    if (a < 0 || b < a) return CS_EINVAL;
    size_t bs = cp_to_byte(text, len, (size_t)a);
    size_t be = bs + cp_to_byte(text + bs, len - bs, (size_t)(b - a));
    out->v[out->n++] = (cs_eval_span_t){json_object_get_string(t), bs, be};
  }
  return CS_OK;
}

static int score(const cs_redactor_t *r, cs_redact_scratch_t *s, cs_redact_eval_t *e,
                 const char *text, size_t len, const spans_t *gold, const spans_t *look) {
  const cs_pii_match_t *m;
  size_t n;
  int rc = cs_redact_find(r, s, text, len, &m, &n);
  if (rc < 0) return rc;
  return cs_redact_eval_add(e, text, len, gold->v, gold->n, look->v, look->n, m, n);
}

static int eval_presidio(const cs_redactor_t *r, cs_redact_scratch_t *s, cs_redact_eval_t *e,
                         const char *path, cs_diag_t *diag) {
  json_object *root = json_object_from_file(path);
  if (!root || !json_object_is_type(root, json_type_array)) {
    json_object_put(root);
    return cs_diag_set(diag, CS_EINVAL, "%s: expected a JSON array of labelled sentences", path);
  }
  spans_t gold = {0}, none = {0};
  int rc = CS_OK;
  size_t n = json_object_array_length(root);
  for (size_t i = 0; i < n && rc == CS_OK; i++) {
    json_object *it = json_object_array_get_idx(root, i), *ft, *sp = NULL;
    if (!json_object_object_get_ex(it, "full_text", &ft) ||
        !json_object_is_type(ft, json_type_string)) {
      rc = cs_diag_set(diag, CS_EINVAL, "%s: item %zu: full_text: expected a string", path, i);
      break;
    }
    json_object_object_get_ex(it, "spans", &sp);
    const char *text = json_object_get_string(ft);
    size_t len = (size_t)json_object_get_string_len(ft);
    rc = spans_from_json(sp, "entity_type", "start_position", "end_position", text, len, &gold);
    if (rc < 0) {
      cs_diag_set(diag, rc, "%s: item %zu: spans: expected entity_type and positions", path, i);
      break;
    }
    rc = score(r, s, e, text, len, &gold, &none);
    if (rc < 0) cs_diag_set(diag, rc, "%s: item %zu: %s", path, i, cs_strerror(rc));
  }
  free(gold.v);
  json_object_put(root);
  return rc;
}

/* Loads content.jsonl into an object id -> text. */
static int load_content(const char *path, json_object **out, cs_diag_t *diag) {
  cs_lines_t *lr;
  int rc = cs_lines_open(path, &lr, diag);
  if (rc < 0) return rc;
  json_object *map = json_object_new_object();
  json_tokener *tok = json_tokener_new();
  const char *line;
  size_t len;
  while (map && tok && (rc = cs_lines_next(lr, &line, &len, diag)) == 1) {
    if (len == 0) continue;
    json_object *o = json_tokener_parse_ex(tok, line, (int)len), *id, *tx;
    json_tokener_reset(tok);
    if (!o || !json_object_object_get_ex(o, "id", &id)) {
      json_object_put(o);
      rc = cs_diag_set(diag, CS_EINVAL, "%s:%zu: expected a JSON object with an id", path,
                       cs_lines_number(lr));
      break;
    }
    if (json_object_object_get_ex(o, "text", &tx) && json_object_is_type(tx, json_type_string))
      json_object_object_add(map, json_object_get_string(id), json_object_get(tx));
    json_object_put(o);
  }
  if (!map || !tok) rc = cs_diag_set(diag, CS_ENOMEM, "out of memory");
  if (tok) json_tokener_free(tok);
  cs_lines_close(lr);
  if (rc < 0) {
    json_object_put(map);
    return rc;
  }
  *out = map;
  return CS_OK;
}

static int eval_label_line(const cs_redactor_t *r, cs_redact_scratch_t *s, cs_redact_eval_t *e,
                           json_object *content, json_object *o, spans_t *gold, spans_t *look) {
  json_object *id, *tx, *sp = NULL, *lk = NULL;
  if (!json_object_object_get_ex(o, "id", &id)) return CS_EINVAL;
  const char *text = "";
  size_t len = 0;
  if (json_object_object_get_ex(content, json_object_get_string(id), &tx)) {
    text = json_object_get_string(tx);
    len = (size_t)json_object_get_string_len(tx);
  }
  json_object_object_get_ex(o, "spans", &sp);
  json_object_object_get_ex(o, "lookalikes", &lk);
  int rc = spans_from_json(sp, "type", "start", "end", text, len, gold);
  if (rc == CS_OK) rc = spans_from_json(lk, "type", "start", "end", text, len, look);
  if (rc == CS_OK) rc = score(r, s, e, text, len, gold, look);
  return rc;
}

static int eval_synth(const cs_redactor_t *r, cs_redact_scratch_t *s, cs_redact_eval_t *e,
                      const char *labels, const char *content_path, cs_diag_t *diag) {
  json_object *content = NULL;
  int rc = load_content(content_path, &content, diag);
  if (rc < 0) return rc;
  cs_lines_t *lr;
  rc = cs_lines_open(labels, &lr, diag);
  if (rc < 0) {
    json_object_put(content);
    return rc;
  }
  json_tokener *tok = json_tokener_new();
  spans_t gold = {0}, look = {0};
  const char *line;
  size_t len;
  while (tok && (rc = cs_lines_next(lr, &line, &len, diag)) == 1) {
    if (len == 0) continue;
    json_tokener_reset(tok);
    json_object *o = json_tokener_parse_ex(tok, line, (int)len);
    rc = o ? eval_label_line(r, s, e, content, o, &gold, &look) : CS_EINVAL;
    json_object_put(o);
    if (rc < 0) {
      cs_diag_set(diag, rc, "%s:%zu: expected {id, spans: [{type, start, end}], lookalikes}",
                  labels, cs_lines_number(lr));
      break;
    }
  }
  if (!tok) rc = cs_diag_set(diag, CS_ENOMEM, "out of memory");
  json_tokener_free(tok);
  free(gold.v);
  free(look.v);
  cs_lines_close(lr);
  json_object_put(content);
  return rc < 0 ? rc : CS_OK;
}

/* The first non-blank byte of the file, or 0. */
static int first_byte(const char *path, cs_diag_t *diag) {
  FILE *f = fopen(path, "rb");
  if (!f) return cs_diag_set(diag, CS_ENOTFOUND, "%s: cannot open", path);
  int c;
  while ((c = fgetc(f)) != EOF && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
  }
  fclose(f);
  return c == EOF ? 0 : c;
}

int cs_redact_eval_file(const cs_redactor_t *r, cs_redact_scratch_t *s, cs_redact_eval_t *e,
                        const char *labels_path, const char *content_path, cs_diag_t *diag) {
  int c = first_byte(labels_path, diag);
  if (c < 0) return c;
  if (c == '[') return eval_presidio(r, s, e, labels_path, diag);
  if (c != '{')
    return cs_diag_set(diag, CS_EINVAL, "%s: expected labels.jsonl or Presidio's JSON array",
                       labels_path);
  if (content_path) return eval_synth(r, s, e, labels_path, content_path, diag);
  /* content.jsonl beside the labels */
  size_t n = strlen(labels_path);
  const char *slash = strrchr(labels_path, '/');
  size_t dir = slash ? (size_t)(slash - labels_path) + 1 : 0;
  char *cp = malloc(dir + sizeof "content.jsonl");
  if (!cp) return cs_diag_set(diag, CS_ENOMEM, "out of memory");
  memcpy(cp, labels_path, dir);
  memcpy(cp + dir, "content.jsonl", sizeof "content.jsonl");
  (void)n;
  int rc = eval_synth(r, s, e, labels_path, cp, diag);
  free(cp);
  return rc;
}
