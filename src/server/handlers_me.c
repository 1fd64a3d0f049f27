/* handlers_me.c — the member routes: /api/session, /api/me, the setting,
 * the objection form. Changes are queued for the writer (writer.c) and
 * answered by cs__job_answer after their commit.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "server/member_view.h"

/* Suspends req and hands its job to the writer; if the writer is stopping,
 * answers 503 and resumes at once. */
int cs__queue_job(cs__req_t *req) {
  req->queued = true;
  cs__req_reader_done(req); /* no snapshot held while waiting */
  MHD_suspend_connection(req->conn);
  if (cs__writer_submit(req->srv->writer, req) == CS_OK) return 0;
  cs__answer_error(req, 503, "the server is shutting down; nothing was changed");
  req->answered_by_writer = true;
  MHD_resume_connection(req->conn);
  return 503;
}

static bool reader_view(cs__req_t *req, const char *member, bool with_obj, cs__member_view_t *v) {
  cs_store_t *s = NULL;
  cs_diag_t d = {{0}};
  memset(v->obj, 0, sizeof v->obj);
  int rc = cs__req_reader(req, &s, &d);
  if (rc == CS_OK) rc = cs__member_view(req->srv, s, member, with_obj, v, &d);
  if (rc < 0) cs__member_view_free(v), cs__answer_diag(req, rc, &d);
  return rc == CS_OK;
}

/* ---- GET/POST/DELETE /api/session ------------------------------------- */

/* {"member", "csrf"}: what POST and GET /api/session answer. */
static int answer_session(cs__req_t *req, const char *member, const char *csrf) {
  cs_buf_t b = {0};
  int rc = cs_buf_puts(&b, "{\"member\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(&b, member, strlen(member));
  if (rc == CS_OK) rc = cs_buf_printf(&b, ",\"csrf\":\"%s\"}\n", csrf);
  if (rc < 0) return cs__answer_error(req, 500, "out of memory");
  return cs__answer_json(req, 200, &b);
}

static int session_create(cs__req_t *req) {
  json_object *o = cs__body_object(req), *t = NULL;
  if (!o) return req->status;
  if (!json_object_object_get_ex(o, "token", &t) || !json_object_is_type(t, json_type_string)) {
    json_object_put(o);
    return cs__answer_error(req, 400, "token: expected a string");
  }
  char member[CS__MEMBER_MAX], sid[CS__SID_MAX], csrf[CS__SID_MAX];
  uint8_t key[32];
  int st = cs__auth_token(req, json_object_get_string(t), member, key);
  json_object_put(o);
  if (st) return st;
  if (cs__session_create(req->srv->sessions, member, cs__now_s(), sid, csrf) < 0)
    return cs__answer_error(req, 503, "too many sessions open; try again later");
  snprintf(req->cookie, sizeof req->cookie,
           "cs_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%.0f", sid,
           req->srv->o.session_ttl_s);
  sodium_memzero(sid, sizeof sid);
  int rc = answer_session(req, member, csrf);
  sodium_memzero(csrf, sizeof csrf);
  return rc;
}

/* GET answers the session's member and CSRF token, so a reloaded page (its
 * cookie is HttpOnly) can make changes again; only a cookie session has one. */
static int session_show(cs__req_t *req, const char *member) {
  if (!req->csrf[0]) return cs__answer_error(req, 401, "not signed in by a session cookie");
  return answer_session(req, member, req->csrf);
}

int cs__handle_session(cs__req_t *req, const char *method) {
  if (strcmp(method, "POST") == 0) return session_create(req);
  char member[CS__MEMBER_MAX];
  uint8_t key[32];
  const char *sid = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "cs_session");
  if (cs__auth_member(req, method, member, key) != 0) return req->status;
  if (strcmp(method, "GET") == 0) return session_show(req, member);
  if (sid) cs__session_remove(req->srv->sessions, sid);
  snprintf(req->cookie, sizeof req->cookie,
           "cs_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  cs_buf_t b = {0};
  if (cs_buf_puts(&b, "{\"signed_out\":true}\n") < 0) return cs__answer_error(req, 500, "out of memory");
  return cs__answer_json(req, 200, &b);
}

/* ---- GET /api/me ---------------------------------------------------------- */

static int put_objections(cs_buf_t *b, const cs_config_t *cfg, const cs__member_view_t *v) {
  int rc = cs_buf_puts(b, "\"objections\":{");
  for (size_t p = 0; rc == CS_OK && p < cfg->n_purposes; p++) {
    const cs__objection_view_t *o = &v->obj[p];
    bool objected = (v->st.objected >> p) & 1u;
    rc = cs_buf_printf(b, "%s\"%s\":{\"objected\":%s,\"reason\":", p ? "," : "",
                       cfg->purposes[p].name, objected ? "true" : "false");
    if (rc == CS_OK)
      rc = objected && o->reason ? cs_buf_put_json_str(b, o->reason, strlen(o->reason))
                                 : cs_buf_puts(b, "null");
    if (rc == CS_OK && o->any) {
      char ts[CS_TIME_STR_MAX];
      cs_time_format(o->at, ts);
      rc = cs_buf_printf(b, ",\"at\":\"%s\"}", ts);
    } else if (rc == CS_OK) {
      rc = cs_buf_puts(b, ",\"at\":null}");
    }
  }
  if (rc == CS_OK) rc = cs_buf_puts(b, "}");
  return rc;
}

int cs__handle_me(cs__req_t *req, const char *member) {
  cs__member_view_t view, *v = &view;
  if (!reader_view(req, member, true, v)) return req->status;
  cs_buf_t b = {0};
  int rc = cs_buf_puts(&b, "{\"member\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(&b, member, strlen(member));
  if (rc == CS_OK)
    rc = v->country[0] ? cs_buf_printf(&b, ",\"jurisdiction\":\"%s\"", v->country)
                       : cs_buf_puts(&b, ",\"jurisdiction\":null");
  if (rc == CS_OK)
    rc = cs_buf_printf(&b, ",\"status\":\"%s\",\"assist_available\":%s,\"settings\":{\"%s\":",
                       v->closed ? "closed" : "active", req->srv->models ? "true" : "false",
                       req->srv->cfg->settings[req->srv->genai_setting]);
  if (rc == CS_OK) rc = cs__put_setting(&b, v->country, v->rule, v->offered, v->recorded);
  if (rc == CS_OK) rc = cs_buf_puts(&b, "},");
  if (rc == CS_OK) rc = put_objections(&b, req->srv->cfg, v);
  if (rc == CS_OK && req->csrf[0]) rc = cs_buf_printf(&b, ",\"csrf\":\"%s\"", req->csrf);
  if (rc == CS_OK) rc = cs_buf_puts(&b, "}\n");
  cs__member_view_free(v);
  if (rc < 0) return cs_buf_free(&b), cs__answer_error(req, 500, "out of memory");
  return cs__answer_json(req, 200, &b);
}

/* ---- GET/PUT /api/me/settings/genai_training ----------------------------------- */

static bool parse_value(cs__req_t *req, bool *out) {
  json_object *o = cs__body_object(req), *v = NULL;
  if (!o) return false;
  bool ok = json_object_object_get_ex(o, "value", &v) && json_object_is_type(v, json_type_boolean);
  if (ok) *out = json_object_get_boolean(v);
  json_object_put(o);
  if (!ok) cs__answer_error(req, 400, "value: expected true or false");
  return ok;
}

int cs__handle_setting(cs__req_t *req, const char *method, const char *member) {
  bool put = strcmp(method, "PUT") == 0, value = false;
  if (put && !parse_value(req, &value)) return req->status;
  cs__member_view_t view, *v = &view;
  if (!reader_view(req, member, false, v)) return req->status;
  if (put && !v->offered) {
    char expl[512];
    cs__setting_explanation(v->country, v->rule, expl, sizeof expl);
    return cs__answer_error(req, 409, "%s", expl);
  }
  if (put) {
    cs__job_t *j = &req->job;
    j->kind = JOB_SETTING;
    snprintf(j->member, sizeof j->member, "%s", member);
    snprintf(j->name, sizeof j->name, "%s", req->srv->cfg->settings[req->srv->genai_setting]);
    j->value = value;
    memcpy(j->country, v->country, sizeof j->country);
    j->rule = v->rule;
    return cs__queue_job(req);
  }
  cs_buf_t b = {0};
  int rc = cs__put_setting(&b, v->country, v->rule, v->offered, v->recorded);
  if (rc == CS_OK) rc = cs_buf_puts(&b, "\n");
  if (rc < 0) return cs_buf_free(&b), cs__answer_error(req, 500, "out of memory");
  return cs__answer_json(req, 200, &b);
}

/* ---- POST/DELETE /api/me/objections/{purpose} ------------------------------------ */

static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* The optional {"reason": "..."} of the form; true with *out NULL when absent. */
static bool parse_reason(cs__req_t *req, char **out) {
  *out = NULL;
  if (req->body.len == 0) return true;
  json_object *o = cs__body_object(req), *r = NULL;
  if (!o) return false;
  bool ok = true;
  if (json_object_object_get_ex(o, "reason", &r) && !json_object_is_type(r, json_type_null)) {
    const char *s = json_object_is_type(r, json_type_string) ? json_object_get_string(r) : NULL;
    if (!s) ok = false, cs__answer_error(req, 400, "reason: expected a string");
    else if (utf8_chars(s) > CS__REASON_CHARS || strlen(s) > CS_FACT_REASON_MAX)
      ok = false, cs__answer_error(req, 400, "reason: expected at most %d characters",
                                   CS__REASON_CHARS);
    else if (*s && !(*out = strdup(s)))
      ok = false, cs__answer_error(req, 500, "out of memory");
  }
  json_object_put(o);
  return ok;
}

int cs__handle_objection(cs__req_t *req, const char *method, const char *member) {
  const cs_config_t *cfg = req->srv->cfg;
  char purpose[CS_NAME_MAX];
  size_t p;
  bool withdraw = strcmp(method, "DELETE") == 0;
  int n = snprintf(purpose, sizeof purpose, "%.*s", (int)req->match.param_len, req->match.param);
  if (n < 0 || (size_t)n >= sizeof purpose || cs_config_purpose(cfg, purpose, &p) < 0) {
    char known[512];
    cs__config_purpose_list(cfg, known, sizeof known);
    return cs__answer_error(req, 400, "purpose: unknown purpose \"%.60s\" (known: %s)",
                            purpose, known);
  }
  char *reason = NULL;
  if (!withdraw && !parse_reason(req, &reason)) return req->status;
  cs__job_t *j = &req->job;
  j->kind = JOB_OBJECTION;
  snprintf(j->member, sizeof j->member, "%s", member);
  snprintf(j->name, sizeof j->name, "%s", cfg->purposes[p].name);
  j->value = withdraw;
  j->reason = reason;
  return cs__queue_job(req);
}

int cs__handle_metrics(cs__req_t *req) {
  cs_store_t *s = NULL;
  cs_diag_t d = {{0}};
  cs_store_counts_t c = {0};
  int rc = cs__req_reader(req, &s, &d);
  if (rc == CS_OK) rc = cs_store_counts(s, &c, &d);
  if (rc < 0) return cs__answer_diag(req, rc, &d);
  cs_buf_t b = {0};
  if (cs__metrics_write(&req->srv->metrics, cs__session_count(req->srv->sessions), c.members,
                        &b) < 0)
    return cs_buf_free(&b), cs__answer_error(req, 500, "out of memory");
  cs__answer_json(req, 200, &b);
  req->ctype = "text/plain; version=0.0.4; charset=utf-8";
  return 200;
}
