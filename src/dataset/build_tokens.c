/* build_tokens.c — dataset pass 2: tokenize the staged records into shards.
 *
 * Each staged record is encoded and followed by <|endoftext|>, appended to
 * its member's shard (or val.bin), and described by a line in that shard's
 * index: its position in staging order (seq, for the Merkle root), record,
 * member, created_at, kind, visibility, and where its tokens are.
 */
#include <stdlib.h>
#include <string.h>

#include <consentry/shard.h>

#include "core/jscan.h"
#include "core/lines.h"
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

/* Writes one index line; f holds the staged record's fields. */
static int index_line(cs__build_t *b, FILE *idx, const cs_jscan_field_t *f, uint64_t seq,
                      uint64_t offset, size_t n_tokens) {
  cs_buf_t *l = &b->line;
  l->len = 0;
  int rc = cs_buf_printf(l, "{\"seq\":%llu,\"record\":\"", (unsigned long long)seq);
  if (rc == CS_OK) rc = cs_buf_put(l, f[F_RECORD].raw, f[F_RECORD].raw_len);
  if (rc == CS_OK) rc = cs_buf_puts(l, "\",\"member\":\"");
  if (rc == CS_OK) rc = cs_buf_put(l, f[F_MEMBER].raw, f[F_MEMBER].raw_len);
  if (rc == CS_OK)
    rc = cs_buf_printf(l, "\",\"created_at\":\"%.*s\",\"kind\":\"%.*s\",\"visibility\":\"%.*s\","
                          "\"offset\":%llu,\"tokens\":%zu}\n",
                       (int)f[F_CREATED].raw_len, f[F_CREATED].raw, (int)f[F_KIND].raw_len,
                       f[F_KIND].raw, (int)f[F_VIS].raw_len, f[F_VIS].raw,
                       (unsigned long long)offset, n_tokens);
  if (rc == CS_OK && fwrite(l->p, 1, l->len, idx) != l->len) rc = CS_EIO;
  return rc;
}

static int encode_record(cs__build_t *b, cs_tokenizer_cache_t *cache, out_t *outs,
                         const char *line, size_t len, uint64_t seq, cs_tokens_t *toks,
                         cs_diag_t *diag) {
  cs_jscan_field_t f[N_F] = {{.name = "record"}, {.name = "member"}, {.name = "shard"},
                             {.name = "created_at"}, {.name = "kind"}, {.name = "visibility"},
                             {.name = "text"}};
  size_t at;
  const char *what;
  if (cs_jscan_object(line, len, f, N_F, &at, &what) < 0 || f[F_TEXT].type != CS_JSON_STRING)
    return cs_diag_set(diag, CS_EINTERNAL, "dataset: staging line %llu is damaged",
                       (unsigned long long)seq + 1);
  long shard = strtol(f[F_SHARD].raw, NULL, 10);
  unsigned k = shard < 0 ? b->shards : (unsigned)shard;
  size_t n;
  if (cs_buf_reserve(&b->text, f[F_TEXT].raw_len + 1) < 0 ||
      cs_jscan_unescape(f[F_TEXT].raw, f[F_TEXT].raw_len, b->text.p, b->text.cap, &n) < 0)
    return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  toks->len = 0;
  int rc = cs_tokenizer_encode(b->tok, cache, b->text.p, n, toks);
  const cs_token_t eot = CS_TOK_EOT;
  uint64_t offset = cs_shard_writer_count(outs[k].w);
  if (rc == CS_OK) rc = cs_shard_writer_write(outs[k].w, toks->ids, toks->len, diag);
  if (rc == CS_OK) rc = cs_shard_writer_write(outs[k].w, &eot, 1, diag);
  if (rc == CS_OK && index_line(b, outs[k].idx, f, seq, offset, toks->len + 1) < 0)
    rc = cs_diag_set(diag, CS_EIO, "dataset: writing an index failed");
  b->shard[k].tokens += toks->len + 1;
  return rc;
}

int cs__build_token_pass(cs__build_t *b, cs_diag_t *diag) {
  out_t *outs = calloc(b->shards + 1, sizeof *outs);
  cs_tokenizer_cache_t *cache = NULL;
  cs_lines_t *r = NULL;
  cs_tokens_t toks = {0};
  char sp[CS_BUILD_PATH];
  cs__build_path(b, "staging.jsonl", sp);
  int rc = outs ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  if (rc == CS_OK) rc = open_outputs(b, outs, diag);
  if (rc == CS_OK && cs_tokenizer_cache_new(b->tok, &cache) < 0)
    rc = cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  if (rc == CS_OK) rc = cs_lines_open(sp, &r, diag);
  const char *line;
  size_t len;
  uint64_t seq = 0;
  while (rc == CS_OK && (rc = cs_lines_next(r, &line, &len, diag)) == 1) {
    rc = encode_record(b, cache, outs, line, len, seq++, &toks, diag);
    if (rc == CS_OK && b->o->progress && (seq & 4095) == 0) {
      cs_dataset_progress_t p = {3, seq, cs_lines_bytes(r)};
      b->o->progress(b->o->progress_ctx, &p);
    }
  }
  if (rc == 0) rc = CS_OK;
  cs_lines_close(r);
  cs_tokens_free(&toks);
  cs_tokenizer_cache_free(cache);
  if (outs) rc = close_outputs(b, outs, rc, diag);
  free(outs);
  return rc;
}
