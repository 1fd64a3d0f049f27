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
 * The writer's connection never checkpoints the write-ahead log itself (a
 * checkpoint inside a commit would hold up every change in that batch); a
 * second thread with its own connection checkpoints it every
 * CHECKPOINT_EVERY_MS, beside the commits. Not more often: each checkpoint
 * ends in an fsync of the database file that the commits' fsyncs queue
 * behind on the same disk (at 200 ms the PUT p99 was 16 ms to 1 s here; at
 * 2 s, 4-7 ms). The log holds about two seconds of changes in between.
 *
 * Times: each change is stamped with the wall clock, forced to be strictly
 * later than the previous change's stamp, so the ledger's order by (at, seq)
 * is the order the writer acknowledged them in even if the clock steps back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server_int.h"

#define CHECKPOINT_EVERY_MS 2000

struct cs__writer {
  cs_server_t *srv;
  cs_store_t *store, *ckpt_store;
  pthread_t thread, ckpt_thread;
  pthread_mutex_t mu;
  pthread_cond_t cv, ckpt_cv;
  cs__req_t *head, *tail;
  bool stopping, started, ckpt_started;
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

/* Checkpoints until the writer stops. A failed checkpoint is not an error
 * for anyone: the log only grows until the next one succeeds. */
static void *checkpoint_main(void *arg) {
  cs__writer_t *w = arg;
  pthread_mutex_lock(&w->mu);
  while (!w->stopping) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += CHECKPOINT_EVERY_MS * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    int e = pthread_cond_timedwait(&w->ckpt_cv, &w->mu, &until);
    if (w->stopping || e != ETIMEDOUT) continue;
    pthread_mutex_unlock(&w->mu);
    cs_diag_t d = {{0}};
    int rc = cs_store_checkpoint(w->ckpt_store, NULL, &d);
    atomic_fetch_add_explicit(rc < 0 ? &w->srv->metrics.checkpoint_errors : &w->srv->metrics.checkpoints,
                              1, memory_order_relaxed);
    pthread_mutex_lock(&w->mu);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

int cs__writer_start(cs_server_t *srv, cs__writer_t **out, cs_diag_t *diag) {
  cs__writer_t *w = calloc(1, sizeof *w);
  if (!w) return cs_diag_set(diag, CS_ENOMEM, "writer: out of memory");
  w->srv = srv;
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
  pthread_cond_init(&w->ckpt_cv, NULL);
  int rc = cs_store_open(srv->db, &w->store, diag);
  if (rc == CS_OK) rc = cs_store_open(srv->db, &w->ckpt_store, diag);
  if (rc == CS_OK) rc = cs_store_set_autocheckpoint(w->store, false, diag);
  if (rc == CS_OK && pthread_create(&w->thread, NULL, writer_main, w) != 0)
    rc = cs_diag_set(diag, CS_EINTERNAL, "writer: cannot start its thread");
  w->started = rc == CS_OK;
  if (rc == CS_OK && pthread_create(&w->ckpt_thread, NULL, checkpoint_main, w) != 0)
    rc = cs_diag_set(diag, CS_EINTERNAL, "writer: cannot start its checkpoint thread");
  w->ckpt_started = rc == CS_OK;
  if (rc < 0) {
    cs__writer_free(w);
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
  pthread_cond_signal(&w->ckpt_cv);
  pthread_mutex_unlock(&w->mu);
  if (w->started) pthread_join(w->thread, NULL);
  if (w->ckpt_started) pthread_join(w->ckpt_thread, NULL);
  w->started = w->ckpt_started = false;
}

void cs__writer_free(cs__writer_t *w) {
  if (!w) return;
  cs__writer_stop(w);
  cs_store_close(w->ckpt_store);
  cs_store_close(w->store);
  pthread_cond_destroy(&w->ckpt_cv);
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
