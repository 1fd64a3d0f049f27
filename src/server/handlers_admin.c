/* handlers_admin.c — the admin routes: ingest facts, publish a policy, counts.
 *
 * An uploaded JSONL body goes into an anonymous in-memory file (memfd) that
 * the writer reads through /proc/self/fd/N with the very code `ledger
 * ingest` runs, so the checks and messages are the CLI's, and the whole
 * upload commits or nothing does.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "server/member_view.h"

static int admin_facts(cs__req_t *req) {
  cs__job_t *j = &req->job;
  if (req->body.len == 0) return cs__answer_error(req, 400, "expected JSONL facts in the body");
  int fd = memfd_create("consentry-facts", MFD_CLOEXEC);
  if (fd < 0) return cs__answer_error(req, 500, "cannot buffer the upload");
  j->memfd = fd;
  for (size_t off = 0; off < req->body.len;) {
    ssize_t w = write(fd, req->body.p + off, req->body.len - off);
    if (w <= 0) return cs__answer_error(req, 500, "cannot buffer the upload");
    off += (size_t)w;
  }
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  if (!(j->version = strdup(path))) return cs__answer_error(req, 500, "out of memory");
  j->kind = JOB_INGEST;
  return cs__queue_job(req);
}

/* A required string member of o, or NULL with a 400 answer. */
static const char *str_field(cs__req_t *req, json_object *o, const char *key) {
  json_object *v = NULL;
  if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
    return json_object_get_string(v);
  cs__answer_error(req, 400, "%s: expected a string", key);
  return NULL;
}

static bool time_field(cs__req_t *req, json_object *o, const char *key, bool required,
                       cs_time_t *out) {
  json_object *v = NULL;
  if (!required && !json_object_object_get_ex(o, key, &v)) return cs_time_now(out) == CS_OK;
  const char *s = str_field(req, o, key);
  if (!s) return false;
  if (cs_time_parse(s, strlen(s), out) == CS_OK) return true;
  cs__answer_error(req, 400, "%s: expected an RFC 3339 time, got \"%.60s\"", key, s);
  return false;
}

/* "a,b" from ["a","b"]; a 400 answer for anything else. */
static char *purposes_csv(cs__req_t *req, json_object *o) {
  json_object *a = NULL;
  if (!json_object_object_get_ex(o, "purposes", &a) || !json_object_is_type(a, json_type_array) ||
      json_object_array_length(a) == 0) {
    cs__answer_error(req, 400, "purposes: expected a non-empty array of purpose names");
    return NULL;
  }
  cs_buf_t b = {0};
  int rc = CS_OK;
  for (size_t i = 0; rc == CS_OK && i < json_object_array_length(a); i++) {
    json_object *e = json_object_array_get_idx(a, i);
    if (!json_object_is_type(e, json_type_string)) {
      cs_buf_free(&b);
      cs__answer_error(req, 400, "purposes[%zu]: expected a string", i);
      return NULL;
    }
    if (i) rc = cs_buf_puts(&b, ",");
    if (rc == CS_OK) rc = cs_buf_puts(&b, json_object_get_string(e));
  }
  if (rc == CS_OK) rc = cs_buf_put(&b, "", 1);
  if (rc < 0) {
    cs_buf_free(&b);
    cs__answer_error(req, 500, "out of memory");
    return NULL;
  }
  return b.p;
}

static int admin_policy(cs__req_t *req) {
  json_object *o = cs__body_object(req);
  if (!o) return req->status;
  cs__job_t *j = &req->job;
  const char *id = str_field(req, o, "id");
  bool ok = id && time_field(req, o, "published", false, &j->published) &&
            time_field(req, o, "effective", true, &j->effective) &&
            (j->purposes = purposes_csv(req, o));
  if (ok && !(j->version = strdup(id))) ok = false, cs__answer_error(req, 500, "out of memory");
  json_object_put(o);
  if (!ok) return req->status;
  j->kind = JOB_POLICY;
  return cs__queue_job(req);
}

typedef struct {
  const cs_server_t *srv;
  cs_time_t now;
  long long members, by_rule[4], on, off, not_offered;
} counts_t;

static void count_member(void *ctx, const char *id, const cs_member_state_t *m) {
  counts_t *c = ctx;
  (void)id;
  const cs_config_t *cfg = c->srv->cfg;
  cs_rule_t r = cs_config_rule(cfg, c->srv->genai, cs_member_country_at(m, c->now));
  c->members++;
  c->by_rule[r]++;
  int8_t v = m->setting[c->srv->genai_setting];
  if (r != CS_RULE_OPT_OUT && r != CS_RULE_OPT_IN) c->not_offered++;
  else if (v == 1 || (v < 0 && r == CS_RULE_OPT_OUT)) c->on++;
  else c->off++;
}

static int admin_counts(cs__req_t *req) {
  counts_t c = {.srv = req->srv};
  cs_store_t *s = NULL;
  cs_snapshot_t *snap = NULL;
  cs_diag_t d = {{0}};
  int rc = cs_time_now(&c.now);
  if (rc == CS_OK) rc = cs__req_reader(req, &s, &d);
  if (rc == CS_OK) rc = cs_snapshot_load(s, req->srv->cfg, c.now, &snap, &d);
  if (rc < 0) return cs__answer_diag(req, rc, &d);
  cs_snapshot_each_member(snap, count_member, &c);
  cs_snapshot_free(snap);
  cs_buf_t b = {0};
  rc = cs_buf_printf(&b,
                     "{\"members\":%lld,\"by_rule\":{\"excluded\":%lld,\"opt_out\":%lld,"
                     "\"opt_in\":%lld,\"allowed\":%lld},\"by_setting\":{\"on\":%lld,\"off\":%lld,"
                     "\"not_offered\":%lld}}\n",
                     c.members, c.by_rule[CS_RULE_EXCLUDED], c.by_rule[CS_RULE_OPT_OUT],
                     c.by_rule[CS_RULE_OPT_IN], c.by_rule[CS_RULE_ALLOWED], c.on, c.off,
                     c.not_offered);
  if (rc < 0) return cs_buf_free(&b), cs__answer_error(req, 500, "out of memory");
  return cs__answer_json(req, 200, &b);
}

int cs__handle_admin(cs__req_t *req, const char *method) {
  (void)method;
  switch (req->match.route) {
  case R_ADM_FACTS: return admin_facts(req);
  case R_ADM_POLICY: return admin_policy(req);
  case R_ADM_COUNTS: return admin_counts(req);
  default: return cs__answer_error(req, 404, "no such route");
  }
}
