/* read.c — reading a dataset back: manifest, indexes, shards, decoded text.
 *
 * Everything is read from the dataset directory alone (its own tokenizer
 * copy included), one document at a time, so anyone can see exactly what a
 * model trained on it saw.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include <consentry/dataset.h>
#include <consentry/shard.h>
#include <consentry/tokenizer.h>

#include "core/lines.h"

typedef struct {
  cs_tokenizer_t *tok;
  cs_tokens_t toks;
  cs_tok_bytes_t text;
  json_tokener *jt;
} reader_t;

static const char *str_field(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
             ? json_object_get_string(v)
             : NULL;
}

static int64_t int_field(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int)
             ? json_object_get_int64(v)
             : -1;
}

/* Reads n tokens of the next document and decodes all but its final EOT. */
static int read_doc(reader_t *rd, cs_shard_reader_t *sr, uint64_t n, const char *where,
                    cs_diag_t *diag) {
  rd->toks.len = 0;
  if (n == 0 || n > SIZE_MAX / sizeof(cs_token_t)) return cs_diag_set(diag, CS_EINVAL, "%s: bad token count", where);
  if (rd->toks.cap < n) {
    cs_token_t *ids = realloc(rd->toks.ids, n * sizeof *ids);
    if (!ids) return cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
    rd->toks.ids = ids;
    rd->toks.cap = n;
  }
  while (rd->toks.len < n) {
    size_t got;
    int rc = cs_shard_reader_read(sr, rd->toks.ids + rd->toks.len, n - rd->toks.len, &got, diag);
    if (rc < 0) return rc;
    if (got == 0) return cs_diag_set(diag, CS_EINVAL, "%s: shard ends inside a document", where);
    rd->toks.len += got;
  }
  if (rd->toks.ids[n - 1] != CS_TOK_EOT)
    return cs_diag_set(diag, CS_EINVAL, "%s: document does not end with <|endoftext|>", where);
  rd->text.len = 0;
  return cs_tokenizer_decode(rd->tok, rd->toks.ids, n - 1, &rd->text) < 0
             ? cs_diag_set(diag, CS_EINVAL, "%s: a token is not in the tokenizer", where)
             : CS_OK;
}

static int each_in_shard(reader_t *rd, const char *dir, json_object *sh, unsigned k,
                         int (*fn)(void *, const cs_dataset_doc_t *), void *ctx, cs_diag_t *diag) {
  const char *file = str_field(sh, "file"), *index = str_field(sh, "index"),
             *split = str_field(sh, "split");
  if (!file || !index || !split) return cs_diag_set(diag, CS_EINVAL, "%s/manifest.json: a shard lacks file, index or split", dir);
  char bin[4096], idx[4096];
  snprintf(bin, sizeof bin, "%s/%s", dir, file);
  snprintf(idx, sizeof idx, "%s/%s", dir, index);
  cs_shard_reader_t *sr = NULL;
  cs_lines_t *lr = NULL;
  int rc = cs_shard_reader_open(bin, &sr, diag);
  if (rc == CS_OK) rc = cs_lines_open(idx, &lr, diag);
  const char *line;
  size_t len;
  uint64_t pos = 0;
  while (rc == CS_OK && (rc = cs_lines_next(lr, &line, &len, diag)) == 1) {
    rc = CS_OK;
    char where[4200];
    snprintf(where, sizeof where, "%s:%zu", idx, cs_lines_number(lr));
    json_object *o = json_tokener_parse_ex(rd->jt, line, (int)len);
    json_tokener_reset(rd->jt);
    cs_dataset_doc_t d = {.split = split, .shard = k};
    if (o) {
      d.record = str_field(o, "record");
      d.member = str_field(o, "member");
      d.created_at = str_field(o, "created_at");
      d.kind = str_field(o, "kind");
      d.visibility = str_field(o, "visibility");
      d.seq = (uint64_t)int_field(o, "seq");
      d.offset = (uint64_t)int_field(o, "offset");
      d.tokens = (uint64_t)int_field(o, "tokens");
    }
    if (!o || !d.record || !d.member || !d.created_at || !d.kind || !d.visibility || d.offset != pos)
      rc = cs_diag_set(diag, CS_EINVAL, "%s: damaged index line", where);
    if (rc == CS_OK) rc = read_doc(rd, sr, d.tokens, where, diag);
    pos += d.tokens;
    if (rc == CS_OK) {
      d.text = rd->text.len ? (const char *)rd->text.data : "";
      d.text_len = rd->text.len;
      rc = fn(ctx, &d);
    }
    json_object_put(o);
  }
  if (rc == 0 && pos != cs_shard_reader_count(sr))
    rc = cs_diag_set(diag, CS_EINVAL, "%s: the index does not cover the whole shard", idx);
  cs_lines_close(lr);
  cs_shard_reader_close(sr);
  return rc;
}

int cs_dataset_each_doc(const char *dir, int shard, int (*fn)(void *ctx, const cs_dataset_doc_t *d),
                        void *ctx, cs_diag_t *diag) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  json_object *m = json_object_from_file(path), *shards = NULL;
  if (!m || !json_object_object_get_ex(m, "shards", &shards) ||
      !json_object_is_type(shards, json_type_array)) {
    json_object_put(m);
    return cs_diag_set(diag, CS_EINVAL, "%s: missing or not a consentry dataset manifest", path);
  }
  reader_t rd = {0};
  snprintf(path, sizeof path, "%s/tokenizer", dir);
  int rc = cs_tokenizer_load(path, &rd.tok, diag);
  if (rc == CS_OK && !(rd.jt = json_tokener_new())) rc = cs_diag_set(diag, CS_ENOMEM, "out of memory");
  size_t n = json_object_array_length(shards), train = 0;
  for (size_t i = 0; rc == CS_OK && i < n; i++) {
    json_object *sh = json_object_array_get_idx(shards, i);
    const char *split = str_field(sh, "split");
    bool val = split && strcmp(split, "val") == 0;
    unsigned k = val ? 0 : (unsigned)train++;
    bool want = shard == CS_DATASET_ALL_SHARDS || (val && shard == CS_DATASET_VAL) ||
                (!val && shard >= 0 && (unsigned)shard == k);
    if (want) rc = each_in_shard(&rd, dir, sh, k, fn, ctx, diag);
  }
  if (rc == CS_OK && shard >= 0 && (size_t)shard >= train)
    rc = cs_diag_set(diag, CS_EINVAL, "shard %d: the dataset has %zu train shards", shard, train);
  json_object_put(m);
  json_tokener_free(rd.jt);
  cs_tokens_free(&rd.toks);
  cs_tok_bytes_free(&rd.text);
  cs_tokenizer_free(rd.tok);
  return rc;
}
