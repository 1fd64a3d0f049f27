/* pool.c — ordered parallel pipeline over chunks of lines (pool.h). */
#include "core/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/lines.h"

#define CHUNK_BYTES ((size_t)1 << 20)
#define MAX_THREADS 64

enum { SLOT_EMPTY, SLOT_FULL, SLOT_DONE };

typedef struct {
  char *in;
  size_t in_len, in_cap, first_line;
  unsigned long long bytes;
  const char *path;
  void *out;
  int rc, state;
  cs_diag_t diag;
} slot_t;

typedef struct {
  const cs__pool_t *p;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  slot_t *slots;
  size_t n_slots;
  uint64_t next_fill, next_take, next_write;
  bool no_more;
} run_t;

void *cs__pool_buf_new(void *arg) {
  (void)arg;
  return calloc(1, sizeof(cs_buf_t));
}

void cs__pool_buf_free(void *out) {
  cs_buf_free(out);
  free(out);
}

/* Calls fn for each chunk of whole lines of path, with the input bytes the
 * chunk covered (newlines included); stops at fn's first error. */
typedef int (*chunk_fn)(void *ctx, const char *path, const char *data, size_t len,
                        size_t first, unsigned long long bytes, cs_diag_t *diag);

static int each_chunk(const char *path, chunk_fn fn, void *ctx, cs_diag_t *diag) {
  cs_lines_t *r = NULL;
  int rc = cs_lines_open(path, &r, diag);
  const char *data;
  size_t len, first;
  unsigned long long counted = 0;
  while (rc == CS_OK && (rc = cs_lines_next_chunk(r, CHUNK_BYTES, &data, &len, &first, diag)) == 1) {
    unsigned long long bytes = cs_lines_bytes(r) - counted;
    counted = cs_lines_bytes(r);
    rc = fn(ctx, path, data, len, first, bytes, diag);
  }
  cs_lines_close(r);
  return rc < 0 ? rc : CS_OK;
}

/* ---- one thread: work and merge each chunk in place ------------------------ */

typedef struct {
  const cs__pool_t *p;
  void *w, *out;
} inline_t;

static int work_and_merge(void *ctx, const char *path, const char *data, size_t len,
                          size_t first, unsigned long long bytes, cs_diag_t *diag) {
  inline_t *c = ctx;
  int wrc = c->p->work(c->w, path, data, len, first, c->out, diag);
  cs_diag_t later = {{0}};
  int rc = c->p->merge(c->p->merge_ctx, path, c->out, bytes, wrc < 0 ? &later : diag);
  return wrc < 0 ? wrc : rc;
}

static int run_inline(const cs__pool_t *p, const char *const *paths, size_t n, cs_diag_t *diag) {
  inline_t c = {p, p->worker_new(p->arg), p->out_new(p->arg)};
  int rc = c.w && c.out ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "out of memory");
  for (size_t i = 0; rc == CS_OK && i < n; i++) rc = each_chunk(paths[i], work_and_merge, &c, diag);
  if (c.out) p->out_free(c.out);
  if (c.w) p->worker_free(c.w);
  return rc;
}

/* ---- several threads ---------------------------------------------------------- */

static void *worker(void *arg) {
  run_t *r = arg;
  void *w = r->p->worker_new(r->p->arg);
  pthread_mutex_lock(&r->mu);
  for (;;) {
    while (!r->no_more && r->next_take == r->next_fill) pthread_cond_wait(&r->cv, &r->mu);
    if (r->next_take == r->next_fill) break;
    slot_t *s = &r->slots[r->next_take++ % r->n_slots];
    pthread_mutex_unlock(&r->mu);
    s->rc = w ? r->p->work(w, s->path, s->in, s->in_len, s->first_line, s->out, &s->diag)
              : cs_diag_set(&s->diag, CS_ENOMEM, "out of memory");
    pthread_mutex_lock(&r->mu);
    s->state = SLOT_DONE;
    pthread_cond_broadcast(&r->cv);
  }
  pthread_mutex_unlock(&r->mu);
  if (w) r->p->worker_free(w);
  return NULL;
}

/* Merges the oldest chunk once it is done. */
static int merge_next(run_t *r, cs_diag_t *diag) {
  slot_t *s = &r->slots[r->next_write % r->n_slots];
  pthread_mutex_lock(&r->mu);
  while (s->state != SLOT_DONE) pthread_cond_wait(&r->cv, &r->mu);
  pthread_mutex_unlock(&r->mu);
  cs_diag_t later = {{0}};
  int rc = r->p->merge(r->p->merge_ctx, s->path, s->out, s->bytes, s->rc < 0 ? &later : diag);
  if (s->rc < 0) {
    if (diag) *diag = s->diag;
    rc = s->rc;
  }
  s->state = SLOT_EMPTY;
  r->next_write++;
  return rc;
}

static int submit(run_t *r, const char *path, const char *data, size_t len, size_t first,
                  unsigned long long bytes, cs_diag_t *diag) {
  int rc = CS_OK;
  while (rc == CS_OK && r->next_fill - r->next_write >= r->n_slots) rc = merge_next(r, diag);
  if (rc < 0) return rc;
  slot_t *s = &r->slots[r->next_fill % r->n_slots];
  if (s->in_cap < len) {
    char *in = realloc(s->in, len);
    if (!in) return cs_diag_set(diag, CS_ENOMEM, "out of memory");
    s->in = in;
    s->in_cap = len;
  }
  memcpy(s->in, data, len);
  s->in_len = len;
  s->first_line = first;
  s->bytes = bytes;
  s->path = path;
  s->rc = CS_OK;
  pthread_mutex_lock(&r->mu);
  s->state = SLOT_FULL;
  r->next_fill++;
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  return CS_OK;
}

static int submit_chunk(void *ctx, const char *path, const char *data, size_t len, size_t first,
                        unsigned long long bytes, cs_diag_t *diag) {
  return submit(ctx, path, data, len, first, bytes, diag);
}

static int run_threads(run_t *r, unsigned threads, const char *const *paths, size_t n,
                       cs_diag_t *diag) {
  pthread_t tid[MAX_THREADS];
  unsigned started = 0;
  int rc = CS_OK;
  for (; started < threads; started++)
    if (pthread_create(&tid[started], NULL, worker, r) != 0) break;
  if (started == 0) rc = cs_diag_set(diag, CS_ENOMEM, "cannot start threads");
  for (size_t i = 0; rc == CS_OK && i < n; i++) rc = each_chunk(paths[i], submit_chunk, r, diag);
  while (rc == CS_OK && r->next_write < r->next_fill) rc = merge_next(r, diag);
  pthread_mutex_lock(&r->mu);
  r->no_more = true; /* on error, chunks not yet merged are dropped */
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
  return rc;
}

int cs__pool_run(const cs__pool_t *p, const char *const *paths, size_t n_paths, cs_diag_t *diag) {
  unsigned threads = p->threads > MAX_THREADS ? MAX_THREADS : p->threads;
  if (threads <= 1) return run_inline(p, paths, n_paths, diag);
  run_t r = {.p = p, .n_slots = 2 * (size_t)threads};
  r.slots = calloc(r.n_slots, sizeof *r.slots);
  int rc = r.slots ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "out of memory");
  for (size_t i = 0; rc == CS_OK && i < r.n_slots; i++)
    if (!(r.slots[i].out = p->out_new(p->arg))) rc = cs_diag_set(diag, CS_ENOMEM, "out of memory");
  if (rc == CS_OK) {
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    rc = run_threads(&r, threads, paths, n_paths, diag);
    pthread_cond_destroy(&r.cv);
    pthread_mutex_destroy(&r.mu);
  }
  for (size_t i = 0; r.slots && i < r.n_slots; i++) {
    if (r.slots[i].out) p->out_free(r.slots[i].out);
    free(r.slots[i].in);
  }
  free(r.slots);
  return rc;
}
