/* gate_run.c — streaming the gate over files, on one thread or several.
 *
 * Input is cut into chunks of whole lines (~1 MiB). A chunk is decided into
 * two memory buffers (included lines, decision lines) and its stats; the
 * caller's thread writes chunks out strictly in input order. With workers,
 * chunks are decided in parallel (each worker has its own cs_gate_t over the
 * shared, read-only snapshot) while the main thread reads and writes, so the
 * output is byte-identical whatever the thread count. Memory stays flat: at
 * most 2 x threads chunks are in flight.
 *
 * A malformed line stops the run: the chunks before it and the good lines of
 * its own chunk are written, nothing after.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/lines.h"
#include "dataset/gate_int.h"

#define CHUNK_BYTES ((size_t)1 << 20)

/* ---- deciding one chunk ----------------------------------------------- */

int cs__gate_put_decision(cs_buf_t *b, const char *id, size_t id_len, const char *member,
                          size_t member_len, const char *reason) {
  bool inc = strcmp(reason, "INCLUDED") == 0;
  int rc = cs_buf_puts(b, "{\"id\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(b, id, id_len);
  if (rc == CS_OK) rc = cs_buf_puts(b, ",\"member\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(b, member, member_len);
  if (rc == CS_OK)
    rc = cs_buf_puts(b, inc ? ",\"included\":true,\"reason\":\"" : ",\"included\":false,\"reason\":\"");
  if (rc == CS_OK) rc = cs_buf_puts(b, reason);
  if (rc == CS_OK) rc = cs_buf_puts(b, "\"}\n");
  return rc;
}

typedef struct {
  bool want_included, want_decisions;
  cs_buf_t inc, dec;
  cs_gate_stats_t st; /* records, included, by_reason, bytes_out of this chunk */
} chunk_out_t;

static int emit(chunk_out_t *o, const cs_gate_decision_t *d, const char *line, size_t len) {
  bool inc = d->reason == CS_REASON_INCLUDED;
  if (inc && o->want_included) {
    if (cs_buf_put(&o->inc, line, len) < 0 || cs_buf_put(&o->inc, "\n", 1) < 0) return CS_ENOMEM;
    o->st.bytes_out += len + 1;
  }
  if (o->want_decisions && cs__gate_put_decision(&o->dec, d->id, d->id_len, d->member,
                                                 d->member_len, cs_reason_name(d->reason)) < 0)
    return CS_ENOMEM;
  return CS_OK;
}

typedef struct {
  const char *line[CS_GATE_BATCH];
  size_t len[CS_GATE_BATCH];
  cs_gate_decision_t d[CS_GATE_BATCH];
  const char *members[CS_GATE_BATCH], *ids[CS_GATE_BATCH];
  size_t member_lens[CS_GATE_BATCH], id_lens[CS_GATE_BATCH];
  const cs_member_state_t *states[CS_GATE_BATCH];
  bool deleted[CS_GATE_BATCH];
} batch_t;

/* Looks up, decides and emits the n parsed records of a batch. */
static int finish_batch(cs_gate_t *g, batch_t *b, size_t n, chunk_out_t *o) {
  cs_snapshot_lookup_many(cs__gate_snapshot(g), b->members, b->member_lens, b->ids, b->id_lens, n,
                          b->states, b->deleted);
  for (size_t i = 0; i < n; i++) /* each member's country history is the next miss */
    if (b->states[i]) __builtin_prefetch(b->states[i]->countries);
  for (size_t i = 0; i < n; i++) {
    cs_gate_decision_t *d = &b->d[i];
    d->facts.deleted = b->deleted[i];
    d->reason = cs__gate_decide(g, b->states[i], d);
    o->st.records++;
    o->st.by_reason[d->reason]++;
    if (d->reason == CS_REASON_INCLUDED) o->st.included++;
    if (emit(o, d, b->line[i], b->len[i]) < 0) return CS_ENOMEM;
  }
  return CS_OK;
}

/* Decides every line of [p, p + len); the first malformed line ends it after
 * the lines before it have been emitted. */
static int decide_chunk(cs_gate_t *g, batch_t *b, const char *path, const char *p, size_t len,
                        size_t line_no, chunk_out_t *o, cs_diag_t *diag) {
  const char *end = p + len;
  size_t k = 0;
  int rc = CS_OK;
  for (const char *q = p; q <= end && rc == CS_OK; line_no++) {
    const char *nl = memchr(q, '\n', (size_t)(end - q));
    size_t n = (size_t)((nl ? nl : end) - q);
    bool blank = n == 0 || (n == 1 && q[0] == '\r');
    if (!blank) {
      rc = cs__gate_parse_line(g, k, path, line_no, q, n, &b->d[k], diag);
      if (rc == CS_OK) {
        b->line[k] = q;
        b->len[k] = n;
        b->members[k] = b->d[k].member;
        b->member_lens[k] = b->d[k].member_len;
        b->ids[k] = b->d[k].id;
        b->id_lens[k] = b->d[k].id_len;
        k++;
      }
    }
    if (k == CS_GATE_BATCH || (k > 0 && (rc < 0 || !nl))) {
      if (finish_batch(g, b, k, o) < 0) return cs_diag_set(diag, CS_ENOMEM, "gate: out of memory");
      k = 0;
    }
    if (!nl) break;
    q = nl + 1;
  }
  return rc;
}

/* ---- writing chunks in order ---------------------------------------------- */

static void add_stats(cs_gate_stats_t *to, const cs_gate_stats_t *from) {
  to->records += from->records;
  to->included += from->included;
  to->bytes_in += from->bytes_in;
  to->bytes_out += from->bytes_out;
  for (int r = 0; r < CS_N_REASONS; r++) to->by_reason[r] += from->by_reason[r];
}

static int write_out(const cs_gate_sinks_t *sinks, chunk_out_t *o, cs_gate_stats_t *stats,
                     const char *path, cs_diag_t *diag) {
  if ((o->inc.len && fwrite(o->inc.p, 1, o->inc.len, sinks->included) != o->inc.len) ||
      (o->dec.len && fwrite(o->dec.p, 1, o->dec.len, sinks->decisions) != o->dec.len))
    return cs_diag_set(diag, CS_EIO, "gate: writing output failed while reading %s", path);
  add_stats(stats, &o->st);
  if (sinks->progress) sinks->progress(sinks->progress_ctx, stats);
  o->inc.len = o->dec.len = 0;
  memset(&o->st, 0, sizeof o->st);
  return CS_OK;
}

static void out_init(chunk_out_t *o, const cs_gate_sinks_t *sinks) {
  memset(o, 0, sizeof *o);
  o->want_included = sinks->included != NULL;
  o->want_decisions = sinks->decisions != NULL;
}

static void out_free(chunk_out_t *o) {
  cs_buf_free(&o->inc);
  cs_buf_free(&o->dec);
}

/* ---- one thread ----------------------------------------------------------- */

static int run_file(cs_gate_t *g, batch_t *b, chunk_out_t *o, const char *path,
                    const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats, cs_diag_t *diag) {
  cs_lines_t *r;
  int rc = cs_lines_open(path, &r, diag);
  if (rc < 0) return rc;
  const char *p;
  size_t len, first;
  unsigned long long counted = 0;
  while ((rc = cs_lines_next_chunk(r, CHUNK_BYTES, &p, &len, &first, diag)) == 1) {
    o->st.bytes_in = cs_lines_bytes(r) - counted;
    counted = cs_lines_bytes(r);
    int drc = decide_chunk(g, b, path, p, len, first, o, diag);
    cs_diag_t later = {{0}};
    rc = write_out(sinks, o, stats, path, drc < 0 ? &later : diag);
    if (drc < 0 || rc < 0) {
      rc = drc < 0 ? drc : rc;
      break;
    }
  }
  cs_lines_close(r);
  return rc < 0 ? rc : CS_OK;
}

int cs_gate_run(cs_gate_t *g, const char *const *paths, size_t n_paths,
                const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats, cs_diag_t *diag) {
  batch_t *b = malloc(sizeof *b);
  chunk_out_t o;
  out_init(&o, sinks);
  int rc = b ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "gate: out of memory");
  for (size_t i = 0; rc == CS_OK && i < n_paths; i++)
    rc = run_file(g, b, &o, paths[i], sinks, stats, diag);
  out_free(&o);
  free(b);
  return rc;
}

/* ---- several threads ------------------------------------------------------ */

enum { SLOT_EMPTY, SLOT_FULL, SLOT_DONE };

typedef struct {
  char *in;
  size_t in_len, in_cap;
  size_t first_line;
  const char *path;
  chunk_out_t out;
  int rc, state;
  cs_diag_t diag;
} slot_t;

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  slot_t *slots;
  size_t n_slots;
  uint64_t next_fill, next_take, next_write;
  bool no_more;
  const cs_snapshot_t *snap;
  const cs_config_t *cfg;
  size_t purpose;
} pool_t;

static void *worker(void *arg) {
  pool_t *p = arg;
  cs_gate_t *g = NULL;
  batch_t *b = malloc(sizeof *b);
  int init = b ? cs_gate_new(p->snap, p->cfg, p->purpose, &g) : CS_ENOMEM;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->no_more && p->next_take == p->next_fill) pthread_cond_wait(&p->cv, &p->mu);
    if (p->next_take == p->next_fill) break;
    slot_t *s = &p->slots[p->next_take++ % p->n_slots];
    pthread_mutex_unlock(&p->mu);
    s->rc = init < 0 ? cs_diag_set(&s->diag, init, "gate: out of memory")
                     : decide_chunk(g, b, s->path, s->in, s->in_len, s->first_line, &s->out,
                                    &s->diag);
    pthread_mutex_lock(&p->mu);
    s->state = SLOT_DONE;
    pthread_cond_broadcast(&p->cv);
  }
  pthread_mutex_unlock(&p->mu);
  cs_gate_free(g);
  free(b);
  return NULL;
}

/* Writes the oldest chunk once it is decided. */
static int write_next(pool_t *p, const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats,
                      cs_diag_t *diag) {
  slot_t *s = &p->slots[p->next_write % p->n_slots];
  pthread_mutex_lock(&p->mu);
  while (s->state != SLOT_DONE) pthread_cond_wait(&p->cv, &p->mu);
  pthread_mutex_unlock(&p->mu);
  cs_diag_t later = {{0}};
  int rc = write_out(sinks, &s->out, stats, s->path, s->rc < 0 ? &later : diag);
  if (s->rc < 0) {
    if (diag) *diag = s->diag;
    rc = s->rc;
  }
  s->state = SLOT_EMPTY;
  p->next_write++;
  return rc;
}

/* Hands one chunk of input to the workers, writing finished chunks first
 * when every slot is taken. */
static int submit(pool_t *p, const char *path, const char *data, size_t len, size_t first,
                  unsigned long long bytes, const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats,
                  cs_diag_t *diag) {
  int rc = CS_OK;
  while (rc == CS_OK && p->next_fill - p->next_write >= p->n_slots)
    rc = write_next(p, sinks, stats, diag);
  if (rc < 0) return rc;
  slot_t *s = &p->slots[p->next_fill % p->n_slots];
  if (s->in_cap < len) {
    char *in = realloc(s->in, len);
    if (!in) return cs_diag_set(diag, CS_ENOMEM, "gate: out of memory");
    s->in = in;
    s->in_cap = len;
  }
  memcpy(s->in, data, len);
  s->in_len = len;
  s->first_line = first;
  s->path = path;
  s->out.st.bytes_in = bytes;
  s->rc = CS_OK;
  pthread_mutex_lock(&p->mu);
  s->state = SLOT_FULL;
  p->next_fill++;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  return CS_OK;
}

static int feed_file(pool_t *p, const char *path, const cs_gate_sinks_t *sinks,
                     cs_gate_stats_t *stats, cs_diag_t *diag) {
  cs_lines_t *r;
  int rc = cs_lines_open(path, &r, diag);
  if (rc < 0) return rc;
  const char *data;
  size_t len, first;
  unsigned long long counted = 0;
  while ((rc = cs_lines_next_chunk(r, CHUNK_BYTES, &data, &len, &first, diag)) == 1) {
    unsigned long long bytes = cs_lines_bytes(r) - counted;
    counted = cs_lines_bytes(r);
    if ((rc = submit(p, path, data, len, first, bytes, sinks, stats, diag)) < 0) break;
  }
  cs_lines_close(r);
  return rc < 0 ? rc : CS_OK;
}

static int run_pool(pool_t *p, unsigned threads, const char *const *paths, size_t n_paths,
                    const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats, cs_diag_t *diag) {
  pthread_t tid[64];
  unsigned started = 0;
  int rc = CS_OK;
  for (; started < threads; started++)
    if (pthread_create(&tid[started], NULL, worker, p) != 0) break;
  if (started == 0) rc = cs_diag_set(diag, CS_ENOMEM, "gate: cannot start threads");
  for (size_t i = 0; rc == CS_OK && i < n_paths; i++) rc = feed_file(p, paths[i], sinks, stats, diag);
  while (rc == CS_OK && p->next_write < p->next_fill) rc = write_next(p, sinks, stats, diag);
  pthread_mutex_lock(&p->mu);
  p->no_more = true; /* on error, chunks not yet written are dropped */
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
  return rc;
}

int cs_gate_run_threads(const cs_snapshot_t *snap, const cs_config_t *cfg, size_t purpose,
                        unsigned threads, const char *const *paths, size_t n_paths,
                        const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats, cs_diag_t *diag) {
  if (threads > 64) threads = 64;
  if (threads <= 1) {
    cs_gate_t *g;
    int rc = cs_gate_new(snap, cfg, purpose, &g);
    if (rc < 0) return cs_diag_set(diag, rc, "gate: %s", cs_strerror(rc));
    rc = cs_gate_run(g, paths, n_paths, sinks, stats, diag);
    cs_gate_free(g);
    return rc;
  }
  pool_t p = {.n_slots = 2 * (size_t)threads, .snap = snap, .cfg = cfg, .purpose = purpose};
  p.slots = calloc(p.n_slots, sizeof *p.slots);
  if (!p.slots) return cs_diag_set(diag, CS_ENOMEM, "gate: out of memory");
  for (size_t i = 0; i < p.n_slots; i++) out_init(&p.slots[i].out, sinks);
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.cv, NULL);
  int rc = run_pool(&p, threads, paths, n_paths, sinks, stats, diag);
  pthread_cond_destroy(&p.cv);
  pthread_mutex_destroy(&p.mu);
  for (size_t i = 0; i < p.n_slots; i++) {
    out_free(&p.slots[i].out);
    free(p.slots[i].in);
  }
  free(p.slots);
  return rc;
}
