/* fuzz_serve.c — libFuzzer target for what the server parses from the
 * network before any authentication: the router (method and path) and the
 * JSON request bodies.
 *
 * Input: "METHOD PATH\nBODY". Traps if an invariant breaks: the router
 * answers 0, 404 or 405 only, and any captured {purpose} or {id} lies inside
 * the path; a body is either a JSON object or a 400 whose answer is itself
 * valid JSON with an "error" string. Build with
 *   CC=clang cmake -S . -B build-fuzz -DCS_FUZZ=ON && make -C build-fuzz fuzz_serve
 * (CTest runs it for 30 s as fuzz/serve).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "server/server_int.h"

static void check_route(const char *method, const char *url) {
  cs__match_t m;
  int rc = cs__route(method, url, &m);
  if (rc != 0 && rc != 404 && rc != 405) abort();
  if (rc != 0) return;
  size_t n = strlen(url);
  if (m.param && (m.param < url || m.param + m.param_len > url + n || m.param_len == 0)) abort();
  if (m.member && (m.member < url || m.member + m.member_len > url + n || m.member_len == 0))
    abort();
  if (m.route <= R_NONE || m.route >= R_COUNT_) abort();
}

static void check_body(const uint8_t *p, size_t n) {
  cs__req_t req;
  memset(&req, 0, sizeof req);
  if (n && cs_buf_put(&req.body, p, n) < 0) return;
  json_object *o = cs__body_object(&req);
  if (o) {
    if (!json_object_is_type(o, json_type_object) || req.status) abort();
    json_object_put(o);
  } else {
    if (req.status != 400 && req.status != 500) abort();
    json_tokener *tok = json_tokener_new();
    json_object *e = NULL, *msg = NULL; /* the answer is len bytes, not a C string */
    if (tok && req.out.p) e = json_tokener_parse_ex(tok, req.out.p, (int)req.out.len);
    json_tokener_free(tok);
    if (!e || !json_object_object_get_ex(e, "error", &msg) ||
        !json_object_is_type(msg, json_type_string))
      abort();
    json_object_put(e);
  }
  cs_buf_free(&req.body);
  cs_buf_free(&req.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nl = memchr(data, '\n', size);
  size_t line = nl ? (size_t)(nl - data) : size;
  const uint8_t *body = nl ? nl + 1 : NULL;
  size_t body_len = nl ? size - line - 1 : 0; /* from the whole line, before it is cut */
  if (line > 4096) line = 4096;
  char head[4097];
  memcpy(head, data, line);
  head[line] = 0;
  if (strlen(head) == line) { /* no NUL inside: MHD never passes one */
    char *sp = strchr(head, ' ');
    if (sp) {
      *sp = 0;
      check_route(head, sp + 1);
    }
  }
  if (body) check_body(body, body_len);
  return 0;
}
