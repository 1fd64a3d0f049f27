/* http.c — libmicrohttpd glue: one request from first byte to answer.
 *
 * MHD calls the access handler several times per request: once with the
 * headers (we route, and refuse an announced body over the cap with 413
 * before reading it), once per chunk of body (kept up to the cap, then
 * dropped and answered 413), and once at the end, where the route's handler
 * runs. A handler that queues a change suspends the connection; the writer
 * resumes it after the commit, and MHD calls the handler a last time, when
 * the answer the writer left is sent.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/assets.h"
#include "server/server_int.h"

double cs__now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t cs__mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static enum MHD_Result send_answer(cs__req_t *req) {
  struct MHD_Response *r;
  cs__req_reader_done(req);
  if (req->static_body) {
    r = MHD_create_response_from_buffer(req->static_len, (void *)req->static_body,
                                        MHD_RESPMEM_PERSISTENT);
  } else {
    r = MHD_create_response_from_buffer(req->out.len, req->out.p, MHD_RESPMEM_MUST_FREE);
    if (r) req->out = (cs_buf_t){0}; /* MHD frees it */
  }
  if (!r) return MHD_NO;
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                          req->ctype ? req->ctype : "application/json; charset=utf-8");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  /* The page has no inline script or style, so it runs under a strict policy:
   * an injected <script> or a framing site gets nowhere. */
  if (req->static_body) {
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                            "base-uri 'none'; form-action 'self'");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  }
  if (!req->static_body) MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (req->cookie[0]) MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, req->cookie);
  if (req->retry_after > 0) {
    char s[16];
    snprintf(s, sizeof s, "%d", req->retry_after);
    MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, s);
  }
  enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)req->status, r);
  MHD_destroy_response(r);
  double secs = (double)(cs__mono_ns() - req->t0_ns) / 1e9;
  cs__metrics_request(&req->srv->metrics, req->match.route, req->status, secs);
  return ok;
}

/* Member routes: who is asking, and /api/members/{id} must be them. */
static int member_route(cs__req_t *req, const char *method) {
  char member[CS__MEMBER_MAX];
  uint8_t key[32];
  if (cs__auth_member(req, method, member, key) != 0) return req->status;
  const cs__match_t *m = &req->match;
  if (m->member && (strlen(member) != m->member_len || memcmp(member, m->member, m->member_len)))
    return cs__answer_error(req, 403, "you may read and change only your own data");
  switch (m->route) {
  case R_ME: return cs__handle_me(req, member);
  case R_SETTING: return cs__handle_setting(req, method, member);
  case R_OBJECTION: return cs__handle_objection(req, method, member);
  case R_USAGE: return cs__handle_usage(req, member);
  case R_ASSIST: return cs__handle_assist(req);
  default: return cs__answer_error(req, 404, "no such route");
  }
}

static int dispatch(cs__req_t *req, const char *method, const char *url, int route_rc) {
  if (route_rc == 404) return cs__answer_error(req, 404, "no such route: %s %.200s", method, url);
  if (route_rc == 405)
    return cs__answer_error(req, 405, "method %s not allowed on %.200s", method, url);
  if (req->too_big)
    return cs__answer_error(req, 413, "request body over the limit of %zu bytes", req->body_max);
  uint8_t key[32];
  switch (req->match.route) {
  case R_ASSET: {
    const cs_web_asset_t *a = cs__web_asset_find(url);
    req->status = 200;
    req->static_body = a->data;
    req->static_len = a->len;
    req->ctype = a->mime;
    return req->status;
  }
  case R_METRICS: return cs__handle_metrics(req);
  case R_SESSION: return cs__handle_session(req, method);
  case R_ADM_FACTS:
  case R_ADM_POLICY:
  case R_ADM_COUNTS:
    if (cs__auth_admin(req, key) != 0) return req->status;
    return cs__handle_admin(req, method);
  default: return member_route(req, method);
  }
}

static cs__req_t *req_new(cs_server_t *srv, struct MHD_Connection *conn, const char *method,
                          const char *url, int *route_rc) {
  cs__req_t *req = calloc(1, sizeof *req);
  if (!req) return NULL;
  req->srv = srv;
  req->conn = conn;
  req->t0_ns = cs__mono_ns();
  req->job.memfd = -1;
  *route_rc = cs__route(method, url, &req->match);
  req->body_max = req->match.route == R_ADM_FACTS ? srv->o.facts_max : srv->o.body_max;
  return req;
}

static void req_free(cs__req_t *req) {
  if (!req) return;
  cs__req_reader_done(req);
  cs_buf_free(&req->body);
  cs_buf_free(&req->out);
  free(req->job.reason);
  free(req->job.version);
  free(req->job.purposes);
  if (req->job.memfd >= 0) close(req->job.memfd);
  explicit_bzero(req->csrf, sizeof req->csrf);
  free(req);
}

typedef struct {
  cs__req_t *req;
  int route_rc;
} conn_state_t;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls) {
  (void)version;
  cs_server_t *srv = cls;
  conn_state_t *cs = *con_cls;
  if (!cs) {
    if (!(cs = calloc(1, sizeof *cs))) return MHD_NO;
    *con_cls = cs;
    if (!(cs->req = req_new(srv, conn, method, url, &cs->route_rc))) return MHD_NO;
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    char *end = NULL;
    unsigned long long n = cl ? strtoull(cl, &end, 10) : 0;
    if (cl && end != cl && n > cs->req->body_max) {
      cs->req->too_big = true; /* refuse before reading it */
      cs__answer_error(cs->req, 413, "request body over the limit of %zu bytes",
                       cs->req->body_max);
      return send_answer(cs->req);
    }
    return MHD_YES;
  }
  cs__req_t *req = cs->req;
  if (*upload_size) {
    if (!req->too_big && req->body.len + *upload_size > req->body_max) {
      req->too_big = true;
      cs_buf_free(&req->body);
    }
    if (!req->too_big && cs_buf_put(&req->body, upload, *upload_size) < 0) return MHD_NO;
    *upload_size = 0;
    return MHD_YES;
  }
  if (req->answered_by_writer) return send_answer(req);
  if (req->queued) return MHD_YES; /* not resumed yet */
  if (req->status == 413) return MHD_YES; /* answered at the headers */
  dispatch(req, method, url, cs->route_rc);
  if (req->queued) return MHD_YES; /* suspended until the commit */
  return send_answer(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)conn, (void)toe;
  conn_state_t *cs = *con_cls;
  if (!cs) return;
  req_free(cs->req);
  free(cs);
  *con_cls = NULL;
}

int cs__http_start(cs_server_t *srv, cs_diag_t *diag) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(srv->o.port)};
  if (inet_pton(AF_INET, srv->o.bind, &sa.sin_addr) != 1)
    return cs_diag_set(diag, CS_EINVAL, "--bind: expected an IPv4 address, got \"%.60s\"",
                       srv->o.bind);
  /* TURBO: skip the syscalls MHD makes only for exotic clients (e.g.
   * shutdown() before close). */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                   MHD_USE_TURBO;
  srv->mhd = MHD_start_daemon(
      flags, srv->o.port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, &sa,
      MHD_OPTION_THREAD_POOL_SIZE, srv->o.threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      (size_t)16 * 1024, MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
      MHD_OPTION_END);
  if (!srv->mhd)
    return cs_diag_set(diag, CS_EIO, "cannot listen on %s:%u (in use, or not allowed)",
                       srv->o.bind, srv->o.port);
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = info ? info->port : srv->o.port;
  return CS_OK;
}
