/* answer.c — setting a request's answer: JSON errors and bodies, and the
 * JSON body parser with its 400s. */
#include <stdarg.h>
#include <string.h>

#include <json-c/json.h>

#include "server/server_int.h"

int cs__answer_json(cs__req_t *req, int status, cs_buf_t *b) {
  cs_buf_free(&req->out);
  req->out = *b;
  *b = (cs_buf_t){0};
  req->status = status;
  req->ctype = "application/json; charset=utf-8";
  return status;
}

int cs__answer_error(cs__req_t *req, int status, const char *fmt, ...) {
  char msg[CS_DIAG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cs_buf_t b = {0};
  int rc = cs_buf_puts(&b, "{\"error\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(&b, msg, strlen(msg));
  if (rc == CS_OK) rc = cs_buf_puts(&b, "}\n");
  if (rc < 0) cs_buf_free(&b); /* out of memory: an empty 500-style body */
  return cs__answer_json(req, rc < 0 ? 500 : status, &b);
}

int cs__answer_diag(cs__req_t *req, int rc, const cs_diag_t *d) {
  int status = rc == CS_EINVAL ? 400 : rc == CS_ENOTFOUND ? 404 : rc == CS_EREFUSED ? 409 : 500;
  const char *msg = d && d->msg[0] ? d->msg : cs_strerror(rc);
  return cs__answer_error(req, status, "%s", msg);
}

/* json-c (0.16) takes 'single-quoted' strings even in strict mode; JSON
 * does not. True when a quote ' appears outside a "string". */
static bool single_quoted(const char *p, size_t n) {
  bool in_str = false;
  for (size_t i = 0; i < n; i++) {
    if (in_str && p[i] == '\\') i++;
    else if (p[i] == '"') in_str = !in_str;
    else if (!in_str && p[i] == '\'') return true;
  }
  return false;
}

json_object *cs__body_object(cs__req_t *req) {
  if (req->body.len == 0) {
    cs__answer_error(req, 400, "expected a JSON object in the body");
    return NULL;
  }
  json_tokener *tok = json_tokener_new_ex(32);
  if (!tok) {
    cs__answer_error(req, 500, "out of memory");
    return NULL;
  }
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT); /* no single quotes, no trailing commas */
  json_object *o = json_tokener_parse_ex(tok, req->body.p, (int)req->body.len);
  enum json_tokener_error e = json_tokener_get_error(tok);
  size_t used = (size_t)json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  bool trailing = false;
  for (size_t i = used; o && i < req->body.len; i++)
    if (!strchr(" \t\r\n", req->body.p[i])) trailing = true;
  if (o && single_quoted(req->body.p, req->body.len)) e = json_tokener_error_parse_unexpected;
  if (!o || e != json_tokener_success || trailing) {
    json_object_put(o);
    cs__answer_error(req, 400, "malformed JSON: %s",
                     trailing ? "trailing data after the object" : json_tokener_error_desc(e));
    return NULL;
  }
  if (!json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    cs__answer_error(req, 400, "expected a JSON object in the body");
    return NULL;
  }
  return o;
}
