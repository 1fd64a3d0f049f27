/* manifest.c — manifest.json: what a dataset is and how to check it.
 *
 * Written by hand in a fixed key order, with no wall-clock time and no
 * absolute paths, so the same build gives the same bytes. Every file of the
 * dataset is listed with its SHA-256; the dataset's id is the SHA-256 of the
 * manifest itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "dataset/build_int.h"

static int put_file(cs__build_t *b, cs_buf_t *m, const char *key, const char *name,
                    cs_diag_t *diag) {
  char path[CS_BUILD_PATH], hex[65];
  cs__build_path(b, name, path);
  int rc = cs_sha256_file(path, hex, diag);
  if (rc == CS_OK && cs_buf_printf(m, "\"%s\":\"%s\",\"%s_sha256\":\"%s\"", key, name, key, hex) < 0)
    rc = cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  return rc;
}

static int put_shards(cs__build_t *b, cs_buf_t *m, cs_diag_t *diag) {
  int rc = cs_buf_puts(m, ",\"shards\":[");
  for (unsigned k = 0; rc == CS_OK && k <= b->shards; k++) {
    char bin[64], idx[64];
    cs__build_shard_name(k, b->shards, false, bin, sizeof bin);
    cs__build_shard_name(k, b->shards, true, idx, sizeof idx);
    const cs__shard_count_t *c = &b->shard[k];
    rc = cs_buf_printf(m, "%s{\"split\":\"%s\",", k ? "," : "", k == b->shards ? "val" : "train");
    if (rc == CS_OK) rc = put_file(b, m, "file", bin, diag);
    if (rc == CS_OK) rc = cs_buf_puts(m, ",");
    if (rc == CS_OK) rc = put_file(b, m, "index", idx, diag);
    if (rc == CS_OK)
      rc = cs_buf_printf(m, ",\"records\":%llu,\"members\":%llu,\"tokens\":%llu}",
                         (unsigned long long)c->records, (unsigned long long)c->members,
                         (unsigned long long)c->tokens);
  }
  return rc == CS_OK ? cs_buf_puts(m, "]") : rc;
}

static int put_header(cs__build_t *b, cs_buf_t *m) {
  char as_of[CS_TIME_STR_MAX], cfg_hash[65], tok_hash[CS_TOK_HASH_HEX];
  cs_time_format(b->o->as_of, as_of);
  if (cs_config_hash(b->cfg, cfg_hash) < 0) return CS_ENOMEM;
  cs_tokenizer_hash(b->tok, tok_hash);
  int rc = cs_buf_printf(m, "{\"format\":\"%s\",\"tool\":\"consentry %s\",\"purpose\":",
                         CS_DATASET_FORMAT, CS_VERSION);
  if (rc == CS_OK) rc = cs_buf_put_json_str(m, b->o->purpose, strlen(b->o->purpose));
  if (rc == CS_OK) rc = cs_buf_printf(m, ",\"as_of\":\"%s\",\"policy_version\":", as_of);
  if (rc == CS_OK)
    rc = cs_buf_put_json_str(m, b->sum->policy_version, strlen(b->sum->policy_version));
  if (rc == CS_OK)
    rc = cs_buf_printf(m,
                       ",\"config_sha256\":\"%s\",\"tokenizer_sha256\":\"%s\",\"tokenizer\":\"%s\","
                       "\"vocab\":%zu,\"redaction\":%s,\"options\":{\"shards\":%u,"
                       "\"val_permille\":%u}",
                       cfg_hash, tok_hash, b->tok_trained ? "trained" : "given",
                       cs_tokenizer_vocab_size(b->tok), b->red ? "true" : "false", b->shards,
                       b->val_permille);
  return rc;
}

static int put_counts(cs__build_t *b, cs_buf_t *m) {
  const cs_dataset_summary_t *s = b->sum;
  int rc = cs_buf_printf(m, ",\"counts\":{\"records_in\":%llu,\"reasons\":{",
                         (unsigned long long)s->records_in);
  for (int r = 0; rc == CS_OK && r < CS_N_REASONS; r++)
    rc = cs_buf_printf(m, "%s\"%s\":%llu", r ? "," : "", cs_reason_name((cs_reason_t)r),
                       (unsigned long long)s->by_reason[r]);
  if (rc == CS_OK)
    rc = cs_buf_printf(m,
                       "},\"duplicates\":%llu,\"redactions\":%llu,\"records\":%llu,"
                       "\"members\":%llu,\"tokens\":%llu,\"val_records\":%llu,"
                       "\"val_members\":%llu}",
                       (unsigned long long)s->duplicates, (unsigned long long)s->redactions,
                       (unsigned long long)s->records, (unsigned long long)s->members,
                       (unsigned long long)s->tokens, (unsigned long long)s->val_records,
                       (unsigned long long)s->val_members);
  return rc;
}

int cs__build_manifest(cs__build_t *b, cs_diag_t *diag) {
  cs_buf_t m = {0};
  int rc = put_header(b, &m) < 0 || put_counts(b, &m) < 0
               ? cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory")
               : CS_OK;
  if (rc == CS_OK) rc = put_shards(b, &m, diag);
  if (rc == CS_OK && cs_buf_puts(&m, ",") < 0) rc = CS_ENOMEM;
  if (rc == CS_OK) rc = put_file(b, &m, "decisions", "decisions.jsonl", diag);
  if (rc == CS_OK && cs_buf_puts(&m, ",") < 0) rc = CS_ENOMEM;
  if (rc == CS_OK) rc = put_file(b, &m, "tokenizer_file", "tokenizer/tokenizer.json", diag);
  if (rc == CS_OK && cs_buf_printf(&m, ",\"merkle_root\":\"%s\"}\n", b->sum->merkle_root) < 0)
    rc = cs_diag_set(diag, CS_ENOMEM, "dataset: out of memory");
  char path[CS_BUILD_PATH];
  cs__build_path(b, "manifest.json", path);
  FILE *f = rc == CS_OK ? fopen(path, "wb") : NULL;
  if (rc == CS_OK && (!f || fwrite(m.p, 1, m.len, f) != m.len))
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed", path);
  if (f && fclose(f) != 0 && rc == CS_OK) rc = cs_diag_set(diag, CS_EIO, "%s: write failed", path);
  if (rc == CS_OK) {
    uint8_t h[CS_SHA256_LEN];
    cs_sha256(m.p, m.len, h);
    cs_hex(h, sizeof h, b->sum->id);
  }
  cs_buf_free(&m);
  return rc;
}
