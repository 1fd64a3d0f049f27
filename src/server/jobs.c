/* jobs.c — the changes the writer applies, and their answers.
 *
 * A member's setting and objection are written by the same library calls as
 * `consentry consent set` and `consentry object` (cs_consent_set,
 * cs_objection_put), so `consent show`, the gate and dataset builds see them
 * as if typed at the CLI. Admin jobs reuse `ledger ingest` and `policy
 * publish` (cs_ledger_ingest, cs_policy_publish).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/member_view.h"

int cs__job_apply(cs_server_t *srv, cs_store_t *s, cs__job_t *j) {
  switch (j->kind) {
  case JOB_SETTING:
    return cs_consent_set(s, srv->cfg, j->member, j->name, j->value, j->at, NULL, &j->diag);
  case JOB_OBJECTION:
    return cs_objection_put(s, srv->cfg, j->member, j->name, j->value, j->reason, j->at,
                            &j->diag);
  case JOB_INGEST:
    return cs_ledger_ingest(s, srv->cfg, j->version, &j->stats, &j->diag);
  case JOB_POLICY:
    return cs_policy_publish(s, srv->cfg, j->version, j->purposes, j->published, j->effective,
                             &j->diag);
  }
  return cs_diag_set(&j->diag, CS_EINTERNAL, "job: unknown kind");
}

static int answer_setting(cs_buf_t *b, const cs__job_t *j) {
  char ts[CS_TIME_STR_MAX];
  cs_time_format(j->at, ts);
  int rc = cs__put_setting(b, j->country, j->rule, true, j->value ? 1 : 0);
  if (rc == CS_OK) b->len--; /* reopen the object for the change's own fields */
  if (rc == CS_OK) rc = cs_buf_printf(b, ",\"at\":\"%s\",\"seq\":%lld}\n", ts, (long long)j->seq);
  return rc;
}

static int answer_objection(cs_buf_t *b, const cs__job_t *j) {
  char ts[CS_TIME_STR_MAX];
  cs_time_format(j->at, ts);
  int rc = cs_buf_printf(b, "{\"purpose\":\"%s\",\"objected\":%s", j->name,
                         j->value ? "false" : "true");
  if (rc == CS_OK && !j->value) {
    rc = cs_buf_puts(b, ",\"reason\":");
    if (rc == CS_OK)
      rc = j->reason ? cs_buf_put_json_str(b, j->reason, strlen(j->reason)) : cs_buf_puts(b, "null");
  }
  if (rc == CS_OK) rc = cs_buf_printf(b, ",\"at\":\"%s\",\"seq\":%lld}\n", ts, (long long)j->seq);
  return rc;
}

static int answer_policy(cs_buf_t *b, const cs__job_t *j) {
  char pub[CS_TIME_STR_MAX], eff[CS_TIME_STR_MAX];
  cs_time_format(j->published, pub);
  cs_time_format(j->effective, eff);
  int rc = cs_buf_puts(b, "{\"id\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(b, j->version, strlen(j->version));
  if (rc == CS_OK) rc = cs_buf_puts(b, ",\"purposes\":[");
  for (const char *p = j->purposes; rc == CS_OK && *p;) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    rc = cs_buf_printf(b, "%s\"%.*s\"", p == j->purposes ? "" : ",", (int)n, p);
    p += n + (e ? 1 : 0);
  }
  if (rc == CS_OK)
    rc = cs_buf_printf(b, "],\"published\":\"%s\",\"effective\":\"%s\"}\n", pub, eff);
  return rc;
}

/* "/proc/self/fd/N:LINE: ..." from ingest becomes "line LINE: ...": the
 * upload has no file name of its own. */
static void ingest_message(const cs__job_t *j, char *out, size_t cap) {
  size_t n = strlen(j->version);
  const char *m = j->diag.msg;
  if (strncmp(m, j->version, n) == 0 && m[n] == ':')
    snprintf(out, cap, "line %s", m + n + 1);
  else
    snprintf(out, cap, "%s", m[0] ? m : "ingest failed");
}

static int answer_failed(cs__req_t *req, const cs__job_t *j) {
  if (j->kind == JOB_INGEST) {
    cs_diag_t d;
    ingest_message(j, d.msg, sizeof d.msg);
    return cs__answer_diag(req, j->rc == CS_ENOTFOUND ? CS_EINVAL : j->rc, &d);
  }
  return cs__answer_diag(req, j->rc, &j->diag);
}

int cs__job_answer(cs__req_t *req, int rc, const cs_diag_t *commit_diag) {
  const cs__job_t *j = &req->job;
  if (rc < 0) return cs__answer_diag(req, CS_EDB, commit_diag); /* nothing was committed */
  if (j->rc < 0) return answer_failed(req, j);
  cs_buf_t b = {0};
  switch (j->kind) {
  case JOB_SETTING: rc = answer_setting(&b, j); break;
  case JOB_OBJECTION: rc = answer_objection(&b, j); break;
  case JOB_INGEST:
    rc = cs_buf_printf(&b, "{\"ingested\":%lld,\"skipped\":%lld}\n", (long long)j->stats.inserted,
                       (long long)j->stats.skipped);
    break;
  case JOB_POLICY: rc = answer_policy(&b, j); break;
  }
  if (rc < 0) return cs_buf_free(&b), cs__answer_error(req, 500, "committed, but out of memory");
  return cs__answer_json(req, 200, &b);
}
