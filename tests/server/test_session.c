/* test_session.c — sessions: create/find/remove, expiry, distinct ids and
 * CSRF tokens; JSON body validation (400s) of the request bodies. */
#include <json-c/json.h>

#include "check.h"
#include "server/server_int.h"

static void test_sessions(void) {
  cs__sessions_t *ss = NULL;
  CHECK_INT(cs__sessions_new(60, &ss), CS_OK);
  char sid[CS__SID_MAX], csrf[CS__SID_MAX], sid2[CS__SID_MAX], csrf2[CS__SID_MAX];
  char member[CS__MEMBER_MAX], got_csrf[CS__SID_MAX];
  uint8_t key[32];
  CHECK_INT(cs__session_create(ss, "m1", 1000, sid, csrf), CS_OK);
  CHECK_INT(cs__session_create(ss, "m2", 1000, sid2, csrf2), CS_OK);
  CHECK_INT(strlen(sid), 43);
  CHECK(strcmp(sid, sid2) != 0 && strcmp(sid, csrf) != 0);
  CHECK_INT(cs__session_count(ss), 2);
  CHECK_INT(cs__session_find(ss, sid, 1010, member, got_csrf, key), CS_OK);
  CHECK_STR(member, "m1");
  CHECK_STR(got_csrf, csrf);
  CHECK_INT(cs__session_find(ss, sid2, 1010, member, got_csrf, key), CS_OK);
  CHECK_STR(member, "m2");
  CHECK_INT(cs__session_find(ss, "forged", 1010, member, got_csrf, key), CS_ENOTFOUND);
  CHECK_INT(cs__session_find(ss, sid, 1061, member, got_csrf, key), CS_ENOTFOUND); /* expired */
  cs__session_remove(ss, sid2);
  CHECK_INT(cs__session_find(ss, sid2, 1010, member, got_csrf, key), CS_ENOTFOUND);
  CHECK_INT(cs__session_count(ss), 1);
  cs__sessions_free(ss);
}

/* A request with just a body, as cs__body_object sees it. */
static json_object *parse(cs__req_t *req, const char *body) {
  memset(req, 0, sizeof *req);
  cs_buf_t b = {0};
  if (*body && cs_buf_puts(&b, body) < 0) return NULL;
  req->body = b;
  json_object *o = cs__body_object(req);
  cs_buf_free(&req->body);
  return o;
}

static void test_json_bodies(void) {
  cs__req_t req;
  json_object *o = parse(&req, "{\"value\": true}\n");
  CHECK(o != NULL);
  json_object_put(o);
  const char *bad[] = {"", "{\"value\":", "[true]", "true", "{\"a\":1} {}", "{\"a\":1} x",
                       "{'a':1}", "nul"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    o = parse(&req, bad[i]);
    if (o) fprintf(stderr, "accepted: %s\n", bad[i]);
    CHECK(o == NULL);
    CHECK_INT(req.status, 400);
    CHECK(req.out.p && strstr(req.out.p, "\"error\""));
    json_object_put(o);
    cs_buf_free(&req.out);
  }
}

RUN_TESTS(test_sessions, test_json_bodies)
