/* writer.c — the one thread that writes the ledger: group commit.
 *
 * Request threads queue changes and suspend their connections. The writer
 * takes everything queued, applies it in ONE transaction on its own
 * connection (synchronous=FULL, as every consentry ledger connection), and
 * only after COMMIT has returned OK answers each request and resumes its
 * connection. While one commit's fsync runs, the next batch queues up, so
 * the number of fsyncs per second stays bounded while the changes per
 * second grow with the load.
 *
 * Members' changes (setting, objection) share a transaction; a change that
 * fails (say, the member was closed since) leaves the transaction as it was
 * (cs_store_put_fact's contract) and is answered with its error, the others
 * still commit. Admin jobs (fact ingest, policy publish) are all-or-nothing
 * on their own, so each gets a transaction of its own.
 *
 * Times: each change is stamped with the wall clock, forced to be strictly
 * later than the previous change's stamp, so the ledger's order by (at, seq)
 * is the order the writer acknowledged them in even if the clock steps back.
 */
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"

struct cs__writer {
  cs_server_t *srv;
  cs_store_t *store;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  cs__req_t *head, *tail;
  bool stopping, started;
  cs_time_t last_at;
};

static cs_time_t stamp(cs__writer_t *w) {
  cs_time_t now = 0;
  if (cs_time_now(&now) < 0 || now <= w->last_at) now = w->last_at + 1;
  return w->last_at = now;
}

static bool is_member_change(const cs__req_t *r) {
  return r->job.kind == JOB_SETTING || r->job.kind == JOB_OBJECTION;
}

static void finish(cs__req_t *r, int rc, const cs_diag_t *d) {
  cs__job_answer(r, rc, d);
  r->answered_by_writer = true;
  MHD_resume_connection(r->conn);
}

/* One transaction for the members' changes in list; answers them all. */
static void commit_members(cs__writer_t *w, cs__req_t *list) {
  cs_diag_t d = {{0}};
  size_t n = 0;
  int rc = cs_store_begin(w->store, &d);
  for (cs__req_t *r = list; rc == CS_OK && r; r = r->next_job) {
    r->job.at = stamp(w);
    r->job.diag.msg[0] = 0;
    r->job.rc = cs__job_apply(w->srv, w->store, &r->job);
    if (r->job.rc == CS_OK) r->job.seq = cs_store_last_seq(w->store);
    n++;
  }
  if (rc == CS_OK) rc = cs_store_commit(w->store, &d);
  if (rc == CS_OK) cs__metrics_batch(&w->srv->metrics, n);
  for (cs__req_t *r = list, *next; r; r = next) {
    next = r->next_job; /* r may be freed once resumed */
    finish(r, rc, &d);
  }
}

/* An admin job: its own transaction, rolled back on any error. */
static void commit_admin(cs__writer_t *w, cs__req_t *r) {
  cs_diag_t d = {{0}};
  r->job.at = stamp(w);
  int rc = cs_store_begin(w->store, &d);
  if (rc == CS_OK) {
    r->job.rc = cs__job_apply(w->srv, w->store, &r->job);
    if (r->job.rc < 0)
      cs_store_rollback(w->store);
    else
      rc = cs_store_commit(w->store, &d);
  }
  if (rc == CS_OK && r->job.rc == CS_OK) cs__metrics_batch(&w->srv->metrics, 1);
  finish(r, rc, &d);
}

static void run_batch(cs__writer_t *w, cs__req_t *batch) {
  cs__req_t *members = NULL, **tail = &members;
  for (cs__req_t *r = batch, *next; r; r = next) {
    next = r->next_job;
    r->next_job = NULL;
    if (is_member_change(r)) {
      *tail = r;
      tail = &r->next_job;
    } else {
      commit_admin(w, r);
    }
  }
  if (members) commit_members(w, members);
}

static void *writer_main(void *arg) {
  cs__writer_t *w = arg;
  for (;;) {
    pthread_mutex_lock(&w->mu);
    while (!w->head && !w->stopping) pthread_cond_wait(&w->cv, &w->mu);
    cs__req_t *batch = w->head;
    w->head = w->tail = NULL;
    bool stop = w->stopping;
    pthread_mutex_unlock(&w->mu);
    if (batch) run_batch(w, batch);
    else if (stop) break;
  }
  return NULL;
}

int cs__writer_start(cs_server_t *srv, cs__writer_t **out, cs_diag_t *diag) {
  cs__writer_t *w = calloc(1, sizeof *w);
  if (!w) return cs_diag_set(diag, CS_ENOMEM, "writer: out of memory");
  w->srv = srv;
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
  int rc = cs_store_open(srv->db, &w->store, diag);
  if (rc == CS_OK && pthread_create(&w->thread, NULL, writer_main, w) != 0)
    rc = cs_diag_set(diag, CS_EINTERNAL, "writer: cannot start its thread");
  w->started = rc == CS_OK;
  if (rc < 0) {
    cs__writer_stop(w);
    return rc;
  }
  *out = w;
  return CS_OK;
}

void cs__writer_stop(cs__writer_t *w) {
  if (!w) return;
  pthread_mutex_lock(&w->mu);
  w->stopping = true;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  if (w->started) pthread_join(w->thread, NULL);
  cs_store_close(w->store);
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
  free(w);
}

int cs__writer_submit(cs__writer_t *w, cs__req_t *req) {
  pthread_mutex_lock(&w->mu);
  bool ok = !w->stopping;
  if (ok) {
    req->next_job = NULL;
    if (w->tail) w->tail->next_job = req;
    else w->head = req;
    w->tail = req;
    pthread_cond_signal(&w->cv);
  }
  pthread_mutex_unlock(&w->mu);
  return ok ? CS_OK : CS_EREFUSED;
}
