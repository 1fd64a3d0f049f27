/* build_gate.c — dataset pass 1: gate, redact, de-duplicate, stage.
 *
 * Workers (src/core/pool.c) decide each record of a chunk, and for included
 * records decode the text, redact it where the purpose requires, hash it
 * (SHA-256) and format its staging line; they write one binary entry per
 * record into the chunk's output. The calling thread then takes the entries
 * in input order: every record gets a line in decisions.jsonl; an included
 * record whose text was kept before is dropped (DUPLICATE); otherwise its
 * staging line is written, its hash added to the Merkle tree and its member
 * counted. Order-dependent work happens only there, so the result is the same
 * for any thread count.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/jscan.h"
#include "core/pool.h"
#include "dataset/build_int.h"
#include "dataset/gate_int.h"

#define VAL_SEED UINT64_C(0x76616c6964617465) /* "validate": independent of the shard hash */

int cs_dataset_member_shard(const char *id, size_t len, unsigned shards, unsigned val_permille) {
  if (XXH3_64bits_withSeed(id, len, VAL_SEED) % 1000 < val_permille) return -1;
  return shards ? (int)(XXH3_64bits(id, len) % shards) : 0;
}

static int member_shard(const cs__build_t *b, const char *id, size_t len) {
  return cs_dataset_member_shard(id, len, b->shards, b->val_permille);
}

/* ---- workers ------------------------------------------------------------------ */

typedef struct {
  const cs__build_t *b;
  cs_gate_t *gate;
  cs_redact_scratch_t *rs;
  cs_buf_t text;
} worker_t;

/* One record's entry in a chunk's output. */
typedef struct {
  uint8_t reason;
  uint8_t hash[CS_SHA256_LEN];
  uint32_t id_len, member_len, n_matches;
  int32_t shard;
  uint64_t staging_len; /* 0 unless included */
} entry_t;

static void *worker_new(void *arg) {
  const cs__build_t *b = arg;
  worker_t *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->b = b;
  if (cs_gate_new(b->snap, b->cfg, b->purpose, &w->gate) < 0 ||
      (b->red && cs_redact_scratch_new(b->red, &w->rs) < 0)) {
    cs_gate_free(w->gate);
    free(w);
    return NULL;
  }
  return w;
}

static void worker_free(void *p) {
  worker_t *w = p;
  cs_gate_free(w->gate);
  cs_redact_scratch_free(w->rs);
  cs_buf_free(&w->text);
  free(w);
}

/* The record's text, decoded and (if required) redacted. */
static int final_text(worker_t *w, const cs_gate_decision_t *d, const char **out, size_t *out_len,
                      uint32_t *n_matches, cs_diag_t *diag) {
  w->text.len = 0;
  if (d->text_raw && cs_buf_reserve(&w->text, d->text_raw_len + 1) < 0)
    return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  size_t n = 0;
  if (d->text_raw && cs_jscan_unescape(d->text_raw, d->text_raw_len, w->text.p, w->text.cap, &n) < 0)
    return cs_diag_set(diag, CS_EINTERNAL, "dataset: text did not fit its buffer");
  *out = w->text.p ? w->text.p : "";
  *out_len = n;
  *n_matches = 0;
  if (!w->b->red) return CS_OK;
  cs_redact_result_t res;
  int rc = cs_redact_text(w->b->red, w->rs, *out, n, out, out_len, &res);
  if (rc < 0) return cs_diag_set(diag, rc, "dataset: redaction failed: %s", cs_strerror(rc));
  *n_matches = (uint32_t)res.n_matches;
  return CS_OK;
}

static int staging_line(cs_buf_t *o, const cs_gate_decision_t *d, int shard, const char *text,
                        size_t len) {
  char created[CS_TIME_STR_MAX];
  cs_time_format(d->facts.created_at, created);
  int rc = cs_buf_puts(o, "{\"record\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(o, d->id, d->id_len);
  if (rc == CS_OK) rc = cs_buf_puts(o, ",\"member\":");
  if (rc == CS_OK) rc = cs_buf_put_json_str(o, d->member, d->member_len);
  if (rc == CS_OK)
    rc = cs_buf_printf(o, ",\"shard\":%d,\"created_at\":\"%s\",\"kind\":\"%s\",\"visibility\":\"%s\",\"text\":",
                       shard, created, cs_kind_name(d->facts.kind),
                       cs_visibility_name(d->facts.visibility));
  if (rc == CS_OK) rc = cs_buf_put_json_str(o, text, len);
  if (rc == CS_OK) rc = cs_buf_puts(o, "}\n");
  return rc;
}

/* Appends the entry for one decided record (header, id, member, staging line). */
static int put_entry(worker_t *w, cs_buf_t *o, const cs_gate_decision_t *d, cs_diag_t *diag) {
  entry_t e = {.reason = (uint8_t)d->reason, .id_len = (uint32_t)d->id_len,
               .member_len = (uint32_t)d->member_len};
  size_t at = o->len;
  int rc = cs_buf_put(o, &e, sizeof e);
  if (rc == CS_OK) rc = cs_buf_put(o, d->id, d->id_len);
  if (rc == CS_OK) rc = cs_buf_put(o, d->member, d->member_len);
  if (rc < 0) return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  if (d->reason != CS_REASON_INCLUDED) return CS_OK;
  const char *text;
  size_t len;
  if ((rc = final_text(w, d, &text, &len, &e.n_matches, diag)) < 0) return rc;
  cs_sha256(text, len, e.hash);
  e.shard = member_shard(w->b, d->member, d->member_len);
  size_t before = o->len;
  if (staging_line(o, d, e.shard, text, len) < 0) return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  e.staging_len = o->len - before;
  memcpy(o->p + at, &e, sizeof e);
  return CS_OK;
}

static int work(void *wp, const char *path, const char *data, size_t len, size_t line_no,
                void *out, cs_diag_t *diag) {
  worker_t *w = wp;
  const char *end = data + len;
  int rc = CS_OK;
  for (const char *q = data; q <= end && rc == CS_OK; line_no++) {
    const char *nl = memchr(q, '\n', (size_t)(end - q));
    size_t n = (size_t)((nl ? nl : end) - q);
    if (n > 0 && !(n == 1 && q[0] == '\r')) {
      cs_gate_decision_t d;
      rc = cs_gate_decide_line(w->gate, path, line_no, q, n, &d, diag);
      if (rc == CS_OK) rc = put_entry(w, out, &d, diag);
    }
    if (!nl) break;
    q = nl + 1;
  }
  return rc;
}

/* ---- merging, in input order ------------------------------------------------------ */

typedef struct {
  cs__build_t *b;
  FILE *staging, *decisions;
  cs_buf_t dec;
} merge_t;

/* The member's index in b->members, adding it (with its shard) when new. */
static int member_index(cs__build_t *b, const char *id, size_t len, int shard, uint32_t *out) {
  bool added;
  int rc = cs__idtab_add(&b->members, id, len, out, &added);
  if (rc < 0 || !added) return rc;
  if (*out >= b->member_cap) {
    size_t cap = b->member_cap ? b->member_cap * 2 : 4096;
    uint64_t *r = realloc(b->member_records, cap * sizeof *r);
    if (r) b->member_records = r;
    int *s = r ? realloc(b->member_shard, cap * sizeof *s) : NULL;
    if (!r || !s) return CS_ENOMEM;
    b->member_shard = s;
    b->member_cap = cap;
  }
  b->member_records[*out] = 0;
  b->member_shard[*out] = shard;
  b->shard[shard < 0 ? b->shards : (unsigned)shard].members++;
  return CS_OK;
}

/* Keeps an included record unless its text was seen; sets *dup. */
static int keep(merge_t *m, const entry_t *e, const char *id, const char *member,
                const char *staging, bool *dup) {
  cs__build_t *b = m->b;
  uint32_t idx;
  bool added;
  /* The first 128 bits of the SHA-256 fit inline in the id table (no arena
   * copy); a false duplicate would need a 2^-128 collision. */
  if (cs__idtab_add(&b->seen, (const char *)e->hash, 16, &idx, &added) < 0) return CS_ENOMEM;
  *dup = !added;
  if (*dup) return CS_OK;
  if (member_index(b, member, e->member_len, e->shard, &idx) < 0) return CS_ENOMEM;
  b->member_records[idx]++;
  b->shard[e->shard < 0 ? b->shards : (unsigned)e->shard].records++;
  cs_merkle_add(&b->merkle, id, e->id_len, e->hash);
  return fwrite(staging, 1, e->staging_len, m->staging) == e->staging_len ? CS_OK : CS_EIO;
}

static int merge_entry(merge_t *m, const char **p, cs_diag_t *diag) {
  entry_t e;
  memcpy(&e, *p, sizeof e);
  const char *id = *p + sizeof e, *member = id + e.id_len, *staging = member + e.member_len;
  *p = staging + e.staging_len;
  cs_dataset_summary_t *s = m->b->sum;
  s->records_in++;
  s->by_reason[e.reason]++;
  const char *reason = cs_reason_name((cs_reason_t)e.reason);
  if (e.reason == CS_REASON_INCLUDED) {
    bool dup;
    s->redactions += e.n_matches;
    if (keep(m, &e, id, member, staging, &dup) < 0)
      return cs_diag_set(diag, CS_EIO, "dataset: writing staging.jsonl failed");
    if (dup) {
      s->duplicates++;
      reason = "DUPLICATE";
    }
  }
  m->dec.len = 0;
  if (cs__gate_put_decision(&m->dec, id, e.id_len, member, e.member_len, reason) < 0 ||
      fwrite(m->dec.p, 1, m->dec.len, m->decisions) != m->dec.len)
    return cs_diag_set(diag, CS_EIO, "dataset: writing decisions.jsonl failed");
  return CS_OK;
}

static int merge(void *ctx, const char *path, void *out, unsigned long long bytes,
                 cs_diag_t *diag) {
  (void)path;
  merge_t *m = ctx;
  cs_buf_t *o = out;
  int rc = CS_OK;
  for (const char *p = o->p, *end = o->p + o->len; rc == CS_OK && p < end;)
    rc = merge_entry(m, &p, diag);
  o->len = 0;
  m->b->sum->bytes_in += bytes;
  if (m->b->o->progress) {
    cs_dataset_progress_t pr = {1, m->b->sum->records_in, m->b->sum->bytes_in};
    m->b->o->progress(m->b->o->progress_ctx, &pr);
  }
  return rc;
}

int cs__build_gate_pass(cs__build_t *b, const char *const *inputs, size_t n, cs_diag_t *diag) {
  char sp[CS_BUILD_PATH], dp[CS_BUILD_PATH];
  cs__build_path(b, "staging.jsonl", sp);
  cs__build_path(b, "decisions.jsonl", dp);
  merge_t m = {b, fopen(sp, "wb"), fopen(dp, "wb"), {0}};
  int rc = m.staging && m.decisions ? CS_OK : cs_diag_set(diag, CS_EIO, "%s: cannot create", b->tmp);
  if (rc == CS_OK) {
    setvbuf(m.staging, NULL, _IOFBF, 1 << 20);
    setvbuf(m.decisions, NULL, _IOFBF, 1 << 20);
  }
  cs_merkle_init(&b->merkle);
  cs__pool_t p = {.threads = b->threads, .arg = b, .worker_new = worker_new,
                  .worker_free = worker_free, .out_new = cs__pool_buf_new, .out_free = cs__pool_buf_free,
                  .work = work, .merge = merge, .merge_ctx = &m};
  if (rc == CS_OK) rc = cs__pool_run(&p, inputs, n, diag);
  if (m.staging && fclose(m.staging) != 0 && rc == CS_OK)
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed", sp);
  if (m.decisions && fclose(m.decisions) != 0 && rc == CS_OK)
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed", dp);
  cs_buf_free(&m.dec);
  cs_merkle_root_hex(&b->merkle, b->sum->merkle_root);
  return rc;
}
