/* server_int.h — the server's internals, shared by the files of src/server.
 *
 * One file per job: http.c (libmicrohttpd glue, body caps, suspend/resume),
 * router.c (method + path -> route), auth.c (tokens, sessions, CSRF, admin
 * key), session.c (the session table), ratelimit.c (token buckets),
 * readers.c (ledger connections for reads, one read transaction per
 * request), writer.c (group commit), jobs.c (what the writer applies and the
 * answers after commit), member_view.c (a member's standing, from
 * cs_consent_show), handlers_me.c / handlers_usage.c (usage and assist) /
 * handlers_admin.c (the routes), answer.c (JSON answers and body parsing),
 * metrics.c (Prometheus text), server.c (start and stop), assets.c (the
 * embedded page).
 *
 * Ownership: a request (cs__req_t) is allocated when its first byte arrives
 * and freed by MHD's completion callback; while its change waits for the
 * writer, the connection is suspended and the writer holds the request.
 */
#ifndef CS_SERVER_INT_H
#define CS_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include <consentry/ledger.h>
#include <consentry/server.h>
#include <consentry/train.h>

#include "core/buf.h"

#define CS__MEMBER_MAX 128 /* longest member id the server accepts */

/* ---- Router ---------------------------------------------------------------- */

typedef enum {
  R_NONE = 0,
  R_SESSION,     /* POST, DELETE /api/session */
  R_ME,          /* GET /api/me */
  R_SETTING,     /* GET, PUT /api/me/settings/genai_training */
  R_OBJECTION,   /* POST, DELETE /api/me/objections/{purpose} */
  R_USAGE,       /* GET /api/me/usage */
  R_ASSIST,      /* POST /api/assist */
  R_ADM_FACTS,   /* POST /api/admin/facts */
  R_ADM_POLICY,  /* POST /api/admin/policies */
  R_ADM_COUNTS,  /* GET /api/admin/counts */
  R_METRICS,     /* GET /metrics */
  R_ASSET,       /* GET of a page file */
  R_COUNT_
} cs__route_id_t;

typedef struct {
  cs__route_id_t route;
  const char *param;    /* {purpose}, within the url; NULL if none */
  size_t param_len;
  const char *member;   /* {id} of /api/members/{id}/...; NULL for /api/me */
  size_t member_len;
} cs__match_t;

/* 0 and *m filled, or 404 (no such route) or 405 (known path, wrong method). */
int cs__route(const char *method, const char *url, cs__match_t *m);
const char *cs__route_name(cs__route_id_t r); /* for metrics labels */
/* Does the route change something (needs CSRF with a session)? */
bool cs__method_changes(const char *method);

/* ---- Rate limiter ------------------------------------------------------- */

typedef struct cs__ratelimit cs__ratelimit_t;
/* rate per second, burst tokens; rate 0 makes take always succeed. */
CS_MUST_USE int cs__ratelimit_new(double rate, double burst, cs__ratelimit_t **out);
void cs__ratelimit_free(cs__ratelimit_t *rl);
/* Takes one token from key's bucket at time now_s; false (and the seconds
 * to wait, rounded up) when empty. Thread-safe. */
bool cs__ratelimit_take(cs__ratelimit_t *rl, const uint8_t key[32], double now_s,
                        int *out_retry_after);

/* ---- Sessions ---------------------------------------------------------- */

typedef struct cs__sessions cs__sessions_t;
#define CS__SID_MAX 48 /* 32 random bytes base64url, NUL included */
CS_MUST_USE int cs__sessions_new(double ttl_s, cs__sessions_t **out);
void cs__sessions_free(cs__sessions_t *ss);
/* A new session for member: its id and CSRF token (CS__SID_MAX each). */
CS_MUST_USE int cs__session_create(cs__sessions_t *ss, const char *member, double now_s,
                                   char *out_sid, char *out_csrf);
/* Looks a session id up: 0 and the member (CS__MEMBER_MAX), its CSRF token
 * and its rate-limit key, or CS_ENOTFOUND (unknown or expired). */
int cs__session_find(cs__sessions_t *ss, const char *sid, double now_s, char *out_member,
                     char *out_csrf, uint8_t out_key[32]);
void cs__session_remove(cs__sessions_t *ss, const char *sid);
size_t cs__session_count(cs__sessions_t *ss);

/* ---- Metrics ---------------------------------------------------------- */

#define CS__N_STATUS 12
#define CS__N_LAT 12
#define CS__N_BATCH 10
typedef struct {
  atomic_uint_fast64_t requests[R_COUNT_][CS__N_STATUS];
  atomic_uint_fast64_t latency[CS__N_LAT]; /* histogram buckets (not cumulative) */
  atomic_uint_fast64_t latency_sum_us;
  atomic_uint_fast64_t batches, batch_changes;
  atomic_uint_fast64_t batch_size[CS__N_BATCH];
  atomic_uint_fast64_t rate_limited;
  atomic_uint_fast64_t checkpoints, checkpoint_errors;
} cs__metrics_t;
void cs__metrics_request(cs__metrics_t *m, cs__route_id_t r, int status, double seconds);
void cs__metrics_batch(cs__metrics_t *m, size_t n);
CS_MUST_USE int cs__metrics_write(cs__metrics_t *m, size_t sessions, int64_t members,
                                  cs_buf_t *out);

/* ---- Requests and answers ----------------------------------------------- */

typedef struct cs__req cs__req_t;

typedef enum { JOB_SETTING = 1, JOB_OBJECTION, JOB_INGEST, JOB_POLICY } cs__job_kind_t;

/* A change waiting for the writer. */
typedef struct {
  cs__job_kind_t kind;
  char member[CS__MEMBER_MAX];
  char name[CS_NAME_MAX];     /* the setting or purpose */
  bool value;                 /* setting value, or objection withdrawn */
  char *reason;               /* objection reason (owned); NULL */
  /* what the answer to a setting change needs, read before it was queued */
  char country[3];
  cs_rule_t rule;
  /* admin */
  char *version, *purposes;   /* owned; an ingest's version is its upload's path */
  int memfd;                  /* an ingest's upload (memfd); -1 none */
  cs_time_t published, effective;
  /* filled by the writer */
  int rc;
  cs_diag_t diag;
  cs_time_t at;
  int64_t seq;
  cs_ingest_stats_t stats;
} cs__job_t;

struct cs__req {
  cs_server_t *srv;
  struct MHD_Connection *conn;
  cs__req_t *next_job;     /* writer queue link */
  cs_store_t *rd;          /* borrowed read connection, or NULL */
  uint64_t t0_ns;
  cs__match_t match;
  cs_buf_t body;
  size_t body_max;
  bool too_big, queued, answered_by_writer;
  /* the answer */
  int status;
  cs_buf_t out;
  const char *ctype;
  char cookie[160];       /* Set-Cookie value, or empty */
  char csrf[CS__SID_MAX]; /* the session's CSRF token when signed in by cookie */
  int retry_after;        /* > 0: a Retry-After header */
  const void *static_body; /* an asset, served without copying */
  size_t static_len;
  cs__job_t job;
};

/* ---- Writer (group commit) ------------------------------------------------ */

typedef struct cs__writer cs__writer_t;
CS_MUST_USE int cs__writer_start(cs_server_t *srv, cs__writer_t **out, cs_diag_t *diag);
/* Finishes the queue and joins the thread; later submits are refused (the
 * request threads may still call submit until the HTTP daemon stops). */
void cs__writer_stop(cs__writer_t *w);
/* Stops if needed, closes the writer's connection and frees it. */
void cs__writer_free(cs__writer_t *w);
/* Queues req (its job filled in). The writer commits it, calls
 * cs__job_answer and resumes req's connection, which the caller must have
 * suspended right after this returns 0. CS_EREFUSED once stopping. */
CS_MUST_USE int cs__writer_submit(cs__writer_t *w, cs__req_t *req);

/* ---- Read connections --------------------------------------------------- */

CS_MUST_USE int cs__reader_get(cs_server_t *srv, cs_store_t **out, cs_diag_t *diag);
void cs__reader_put(cs_server_t *srv, cs_store_t *s);
/* The request's read connection, in a read transaction from its first use
 * until cs__req_reader_done (called before answering or queueing). */
CS_MUST_USE int cs__req_reader(cs__req_t *req, cs_store_t **out, cs_diag_t *diag);
void cs__req_reader_done(cs__req_t *req);

/* ---- The server --------------------------------------------------------- */

struct cs_server {
  cs_server_opts_t o;         /* strings point into the copies below */
  char *db, *bind, *model_dir;
  uint8_t admin_hash[32];
  bool admin_on;
  const cs_config_t *cfg;
  size_t genai;               /* index of the genai_training purpose */
  size_t genai_setting;       /* index of its setting */
  struct MHD_Daemon *mhd;
  uint16_t port;
  cs__writer_t *writer;
  cs__ratelimit_t *rl;
  cs__sessions_t *sessions;
  cs__metrics_t metrics;
  pthread_mutex_t readers_mu;
  cs_store_t **readers;       /* idle read connections */
  size_t n_readers, cap_readers;
  cs_train_models_t *models;  /* NULL: no assist */
  pthread_mutex_t model_mu;   /* generation is serialised */
};

/* Starts the MHD daemon on srv->o.bind:port; srv->port is the port bound. */
CS_MUST_USE int cs__http_start(cs_server_t *srv, cs_diag_t *diag);

double cs__now_s(void);
uint64_t cs__mono_ns(void);

/* Answers: set req->status and req->out. */
int cs__answer_error(cs__req_t *req, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A library error: EINVAL 400, ENOTFOUND 404, EREFUSED 409, else 500. */
int cs__answer_diag(cs__req_t *req, int rc, const cs_diag_t *d);
/* Takes ownership of b's contents as the JSON answer. */
int cs__answer_json(cs__req_t *req, int status, cs_buf_t *b);

/* Handlers: each fills req's answer, or queues a job (req->queued). member is
 * the authenticated member for /api/me routes. */
int cs__handle_session(cs__req_t *req, const char *method);
int cs__handle_me(cs__req_t *req, const char *member);
int cs__handle_setting(cs__req_t *req, const char *method, const char *member);
int cs__handle_objection(cs__req_t *req, const char *method, const char *member);
int cs__handle_usage(cs__req_t *req, const char *member);
int cs__handle_assist(cs__req_t *req);
int cs__handle_admin(cs__req_t *req, const char *method);
int cs__handle_metrics(cs__req_t *req);
/* Suspends req's connection and hands its job to the writer (503 when the
 * server is stopping). */
int cs__queue_job(cs__req_t *req);
/* The writer's side of a job: apply it in the open transaction ... */
int cs__job_apply(cs_server_t *srv, cs_store_t *s, cs__job_t *job);
/* ... and, after the commit (rc its outcome), the answer. */
int cs__job_answer(cs__req_t *req, int rc, const cs_diag_t *commit_diag);

/* Auth: 0 and the member (CS__MEMBER_MAX) and rate-limit key, or an HTTP
 * status (401, 403) with the answer set. */
int cs__auth_member(cs__req_t *req, const char *method, char *out_member, uint8_t out_key[32]);
/* The same for a sign-in token given by value (Bearer, or POST /api/session). */
int cs__auth_token(cs__req_t *req, const char *tok, char *out_member, uint8_t out_key[32]);
int cs__auth_admin(cs__req_t *req, uint8_t out_key[32]);

/* JSON bodies: the parsed object, or NULL with a 400 answer set. */
struct json_object;
struct json_object *cs__body_object(cs__req_t *req);

#endif
