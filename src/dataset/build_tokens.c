/* build_tokens.c — dataset pass 2: tokenize the staged records into shards.
 *
 * Workers (src/core/pool.c) encode each staged record, followed by
 * <|endoftext|>, and format its index line; the calling thread appends the
 * tokens to the member's shard (or val.bin) and the line to that shard's
 * index, in staging order, filling in the seq (position in staging order, for
 * the Merkle root) and the offset. The same bytes for any thread count.
 */
#include <stdlib.h>
#include <string.h>

#include <consentry/shard.h>

#include "core/jscan.h"
#include "core/pool.h"
#include "dataset/build_int.h"

typedef struct {
  cs_shard_writer_t *w;
  FILE *idx;
} out_t;

enum { F_RECORD, F_MEMBER, F_SHARD, F_CREATED, F_KIND, F_VIS, F_TEXT, N_F };

static int open_outputs(cs__build_t *b, out_t *outs, cs_diag_t *diag) {
  for (unsigned k = 0; k <= b->shards; k++) {
    char name[64], path[CS_BUILD_PATH];
    cs__build_shard_name(k, b->shards, false, name, sizeof name);
    cs__build_path(b, name, path);
    int rc = cs_shard_writer_open(path, &outs[k].w, diag);
    if (rc < 0) return rc;
    cs__build_shard_name(k, b->shards, true, name, sizeof name);
    cs__build_path(b, name, path);
    if (!(outs[k].idx = fopen(path, "wb"))) return cs_diag_set(diag, CS_EIO, "%s: cannot create", path);
  }
  return CS_OK;
}

static int close_outputs(cs__build_t *b, out_t *outs, int rc, cs_diag_t *diag) {
  for (unsigned k = 0; k <= b->shards; k++) {
    if (outs[k].w) {
      if (rc == CS_OK)
        rc = cs_shard_writer_commit(outs[k].w, diag);
      else
        cs_shard_writer_abort(outs[k].w);
    }
    if (outs[k].idx && fclose(outs[k].idx) != 0 && rc == CS_OK)
      rc = cs_diag_set(diag, CS_EIO, "%s: writing an index failed", b->tmp);
  }
  return rc;
}

/* ---- workers: encode -------------------------------------------------------------- */

typedef struct {
  const cs__build_t *b;
  cs_tokenizer_cache_t *cache;
  cs_tokens_t toks;
  cs_buf_t text;
} worker_t;

/* One document in a chunk's output: header, index fields (JSON text without
 * seq and offset), then the tokens. */
typedef struct {
  uint32_t shard;
  uint32_t fields_len;
  uint32_t pad;      /* 0 or 1 byte after the fields, so the tokens are 2-aligned */
  uint64_t n_tokens; /* including <|endoftext|> */
} doc_t;

static void *worker_new(void *arg) {
  const cs__build_t *b = arg;
  worker_t *w = calloc(1, sizeof *w);
  if (w && cs_tokenizer_cache_new(b->tok, &w->cache) < 0) {
    free(w);
    return NULL;
  }
  if (w) w->b = b;
  return w;
}

static void worker_free(void *p) {
  worker_t *w = p;
  cs_tokenizer_cache_free(w->cache);
  cs_tokens_free(&w->toks);
  cs_buf_free(&w->text);
  free(w);
}

static int put_fields(cs_buf_t *o, const cs_jscan_field_t *f) {
  int rc = cs_buf_puts(o, "\"record\":\"");
  if (rc == CS_OK) rc = cs_buf_put(o, f[F_RECORD].raw, f[F_RECORD].raw_len);
  if (rc == CS_OK) rc = cs_buf_puts(o, "\",\"member\":\"");
  if (rc == CS_OK) rc = cs_buf_put(o, f[F_MEMBER].raw, f[F_MEMBER].raw_len);
  if (rc == CS_OK)
    rc = cs_buf_printf(o, "\",\"created_at\":\"%.*s\",\"kind\":\"%.*s\",\"visibility\":\"%.*s\"",
                       (int)f[F_CREATED].raw_len, f[F_CREATED].raw, (int)f[F_KIND].raw_len,
                       f[F_KIND].raw, (int)f[F_VIS].raw_len, f[F_VIS].raw);
  return rc;
}

static int encode_line(worker_t *w, const char *line, size_t len, cs_buf_t *o, cs_diag_t *diag) {
  cs_jscan_field_t f[N_F] = {{.name = "record"}, {.name = "member"}, {.name = "shard"},
                             {.name = "created_at"}, {.name = "kind"}, {.name = "visibility"},
                             {.name = "text"}};
  size_t at, n;
  const char *what;
  if (cs_jscan_object(line, len, f, N_F, &at, &what) < 0 || f[F_TEXT].type != CS_JSON_STRING)
    return cs_diag_set(diag, CS_EINTERNAL, "dataset: a staging line is damaged");
  long shard = strtol(f[F_SHARD].raw, NULL, 10);
  if (cs_buf_reserve(&w->text, f[F_TEXT].raw_len + 1) < 0 ||
      cs_jscan_unescape(f[F_TEXT].raw, f[F_TEXT].raw_len, w->text.p, w->text.cap, &n) < 0)
    return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  w->toks.len = 0;
  int rc = cs_tokenizer_encode(w->b->tok, w->cache, w->text.p, n, &w->toks);
  if (rc < 0) return cs_diag_set(diag, rc, "dataset: tokenizing failed");
  doc_t d = {.shard = shard < 0 ? w->b->shards : (uint32_t)shard, .n_tokens = w->toks.len + 1};
  size_t head = o->len;
  const cs_token_t eot = CS_TOK_EOT;
  if (cs_buf_put(o, &d, sizeof d) < 0 || put_fields(o, f) < 0)
    return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  d.fields_len = (uint32_t)(o->len - head - sizeof d);
  d.pad = o->len & 1; /* buffers are malloc-aligned, so an even offset is an aligned address */
  if ((d.pad && cs_buf_put(o, "", 1) < 0) ||
      cs_buf_put(o, w->toks.ids, w->toks.len * sizeof *w->toks.ids) < 0 ||
      cs_buf_put(o, &eot, sizeof eot) < 0)
    return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  memcpy(o->p + head, &d, sizeof d);
  return CS_OK;
}

static int work(void *wp, const char *path, const char *data, size_t len, size_t first,
                void *out, cs_diag_t *diag) {
  (void)path, (void)first;
  const char *end = data + len;
  int rc = CS_OK;
  for (const char *q = data; q < end && rc == CS_OK;) {
    const char *nl = memchr(q, '\n', (size_t)(end - q));
    size_t n = (size_t)((nl ? nl : end) - q);
    if (n) rc = encode_line(wp, q, n, out, diag);
    q = nl ? nl + 1 : end;
  }
  return rc;
}

/* ---- the calling thread: shards and indexes, in staging order ------------------------ */

typedef struct {
  cs__build_t *b;
  out_t *outs;
  uint64_t seq;
} merge_t;

static int write_doc(merge_t *m, const char **p, cs_diag_t *diag) {
  doc_t d;
  memcpy(&d, *p, sizeof d);
  const char *fields = *p + sizeof d;
  const cs_token_t *toks = (const cs_token_t *)(const void *)(fields + d.fields_len + d.pad);
  *p = fields + d.fields_len + d.pad + d.n_tokens * sizeof(cs_token_t);
  out_t *o = &m->outs[d.shard];
  cs_buf_t *l = &m->b->line;
  uint64_t offset = cs_shard_writer_count(o->w);
  int rc = cs_shard_writer_write(o->w, toks, d.n_tokens, diag);
  l->len = 0;
  if (rc == CS_OK &&
      (cs_buf_printf(l, "{\"seq\":%llu,", (unsigned long long)m->seq++) < 0 ||
       cs_buf_put(l, fields, d.fields_len) < 0 ||
       cs_buf_printf(l, ",\"offset\":%llu,\"tokens\":%llu}\n", (unsigned long long)offset,
                     (unsigned long long)d.n_tokens) < 0 ||
       fwrite(l->p, 1, l->len, o->idx) != l->len))
    rc = cs_diag_set(diag, CS_EIO, "dataset: writing an index failed");
  m->b->shard[d.shard].tokens += d.n_tokens;
  return rc;
}

static int merge(void *ctx, const char *path, void *out, unsigned long long bytes,
                 cs_diag_t *diag) {
  (void)path, (void)bytes;
  merge_t *m = ctx;
  cs_buf_t *o = out;
  int rc = CS_OK;
  for (const char *p = o->p, *end = o->p + o->len; rc == CS_OK && p < end;)
    rc = write_doc(m, &p, diag);
  o->len = 0;
  if (m->b->o->progress) {
    cs_dataset_progress_t pr = {3, m->seq, 0};
    m->b->o->progress(m->b->o->progress_ctx, &pr);
  }
  return rc;
}

int cs__build_token_pass(cs__build_t *b, cs_diag_t *diag) {
  out_t *outs = calloc(b->shards + 1, sizeof *outs);
  char sp[CS_BUILD_PATH];
  cs__build_path(b, "staging.jsonl", sp);
  int rc = outs ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  if (rc == CS_OK) rc = open_outputs(b, outs, diag);
  merge_t m = {b, outs, 0};
  cs__pool_t p = {.threads = b->threads, .arg = b, .worker_new = worker_new,
                  .worker_free = worker_free, .out_new = cs__pool_buf_new, .out_free = cs__pool_buf_free,
                  .work = work, .merge = merge, .merge_ctx = &m};
  const char *inputs[] = {sp};
  if (rc == CS_OK) rc = cs__pool_run(&p, inputs, 1, diag);
  if (outs) rc = close_outputs(b, outs, rc, diag);
  free(outs);
  return rc;
}
