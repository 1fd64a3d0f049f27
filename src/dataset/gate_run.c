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
 * its own chunk are written, nothing after. The pipeline itself (chunking,
 * workers, ordering) is src/core/pool.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/pool.h"
#include "dataset/gate_int.h"


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

/* ---- the pool's callbacks ----------------------------------------------------- */

static void add_stats(cs_gate_stats_t *to, const cs_gate_stats_t *from) {
  to->records += from->records;
  to->included += from->included;
  to->bytes_out += from->bytes_out;
  for (int r = 0; r < CS_N_REASONS; r++) to->by_reason[r] += from->by_reason[r];
}

typedef struct {
  const cs_snapshot_t *snap;
  const cs_config_t *cfg;
  size_t purpose;
  cs_gate_t *shared;        /* one thread: the caller's gate; else each worker makes one */
  const cs_gate_sinks_t *sinks;
  cs_gate_stats_t *stats;
} run_ctx_t;

typedef struct {
  cs_gate_t *g;
  bool own;
  batch_t b;
} worker_t;

static void *worker_new(void *arg) {
  run_ctx_t *c = arg;
  worker_t *w = malloc(sizeof *w);
  if (!w) return NULL;
  w->own = !c->shared;
  w->g = c->shared;
  if (w->own && cs_gate_new(c->snap, c->cfg, c->purpose, &w->g) < 0) {
    free(w);
    return NULL;
  }
  return w;
}

static void worker_free(void *p) {
  worker_t *w = p;
  if (w->own) cs_gate_free(w->g);
  free(w);
}

static void *out_new(void *arg) {
  run_ctx_t *c = arg;
  chunk_out_t *o = malloc(sizeof *o);
  if (o) {
    memset(o, 0, sizeof *o);
    o->want_included = c->sinks->included != NULL;
    o->want_decisions = c->sinks->decisions != NULL;
  }
  return o;
}

static void out_free(void *p) {
  chunk_out_t *o = p;
  cs_buf_free(&o->inc);
  cs_buf_free(&o->dec);
  free(o);
}

static int work(void *wp, const char *path, const char *data, size_t len, size_t first,
                void *out, cs_diag_t *diag) {
  worker_t *w = wp;
  return decide_chunk(w->g, &w->b, path, data, len, first, out, diag);
}

/* Writes a decided chunk; runs in input order on the calling thread. */
static int merge(void *ctx, const char *path, void *out, unsigned long long bytes,
                 cs_diag_t *diag) {
  run_ctx_t *c = ctx;
  chunk_out_t *o = out;
  const cs_gate_sinks_t *sinks = c->sinks;
  int rc = CS_OK;
  if ((o->inc.len && fwrite(o->inc.p, 1, o->inc.len, sinks->included) != o->inc.len) ||
      (o->dec.len && fwrite(o->dec.p, 1, o->dec.len, sinks->decisions) != o->dec.len))
    rc = cs_diag_set(diag, CS_EIO, "gate: writing output failed while reading %s", path);
  c->stats->bytes_in += bytes;
  add_stats(c->stats, &o->st);
  if (sinks->progress) sinks->progress(sinks->progress_ctx, c->stats);
  o->inc.len = o->dec.len = 0;
  memset(&o->st, 0, sizeof o->st);
  return rc;
}

static int run(run_ctx_t *c, unsigned threads, const char *const *paths, size_t n,
               cs_diag_t *diag) {
  cs__pool_t p = {.threads = threads, .arg = c, .worker_new = worker_new,
                  .worker_free = worker_free, .out_new = out_new, .out_free = out_free,
                  .work = work, .merge = merge, .merge_ctx = c};
  return cs__pool_run(&p, paths, n, diag);
}

int cs_gate_run(cs_gate_t *g, const char *const *paths, size_t n_paths,
                const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats, cs_diag_t *diag) {
  run_ctx_t c = {.shared = g, .sinks = sinks, .stats = stats};
  return run(&c, 1, paths, n_paths, diag);
}

int cs_gate_run_threads(const cs_snapshot_t *snap, const cs_config_t *cfg, size_t purpose,
                        unsigned threads, const char *const *paths, size_t n_paths,
                        const cs_gate_sinks_t *sinks, cs_gate_stats_t *stats, cs_diag_t *diag) {
  if (purpose >= cfg->n_purposes) return cs_diag_set(diag, CS_EINVAL, "gate: no such purpose");
  run_ctx_t c = {.snap = snap, .cfg = cfg, .purpose = purpose, .sinks = sinks, .stats = stats};
  return run(&c, threads ? threads : 1, paths, n_paths, diag);
}
