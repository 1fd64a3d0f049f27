/* verify.c — an auditor's check of a dataset against itself and the ledger.
 *
 * 1. every file's SHA-256 against the manifest; 2. the Merkle root, from the
 * decoded documents in build order; 3. the ledger's record of the dataset
 * (same id, same members and per-member counts); 4. every document still
 * allowed for the purpose as of the dataset's time under the ledger's facts
 * now (a fact ingested later with an earlier time would show up here).
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <consentry/dataset.h>
#include <consentry/merkle.h>

#include "core/buf.h"
#include "policy/idtable.h"

typedef struct {
  void (*report)(void *ctx, const char *problem);
  void *ctx;
  cs_dataset_verify_t *out;
} reporter_t;

static void problem(reporter_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(reporter_t *r, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  r->out->problems++;
  if (r->report) r->report(r->ctx, msg);
}

static void check_file(reporter_t *r, const char *dir, json_object *o, const char *key) {
  char hkey[64], path[4096], hex[65];
  json_object *name, *want;
  snprintf(hkey, sizeof hkey, "%s_sha256", key);
  if (!json_object_object_get_ex(o, key, &name) || !json_object_object_get_ex(o, hkey, &want)) {
    problem(r, "manifest: %s or %s missing", key, hkey);
    return;
  }
  snprintf(path, sizeof path, "%s/%s", dir, json_object_get_string(name));
  r->out->files_checked++;
  if (cs_sha256_file(path, hex, NULL) < 0)
    problem(r, "%s: cannot read", json_object_get_string(name));
  else if (strcmp(hex, json_object_get_string(want)) != 0)
    problem(r, "%s: SHA-256 %s, manifest says %s", json_object_get_string(name), hex,
            json_object_get_string(want));
}

static void check_files(reporter_t *r, const char *dir, json_object *m) {
  json_object *shards;
  if (json_object_object_get_ex(m, "shards", &shards))
    for (size_t i = 0; i < json_object_array_length(shards); i++) {
      check_file(r, dir, json_object_array_get_idx(shards, i), "file");
      check_file(r, dir, json_object_array_get_idx(shards, i), "index");
    }
  check_file(r, dir, m, "decisions");
  check_file(r, dir, m, "tokenizer_file");
}

/* ---- documents: Merkle leaves, members, eligibility ------------------------ */

typedef struct {
  uint64_t seq;
  uint8_t hash[CS_SHA256_LEN];
  char *record;
} leaf_t;

typedef struct {
  reporter_t *r;
  const cs_snapshot_t *snap;
  const cs_config_t *cfg;
  size_t purpose;
  leaf_t *leaves;
  size_t n, cap;
  cs__idtab_t members;
  int64_t *counts;
  size_t counts_cap;
} docs_t;

static int count_member(docs_t *d, const char *member) {
  uint32_t i;
  bool added;
  if (cs__idtab_add(&d->members, member, strlen(member), &i, &added) < 0) return CS_ENOMEM;
  if (i >= d->counts_cap) {
    size_t cap = d->counts_cap ? d->counts_cap * 2 : 1024;
    int64_t *c = realloc(d->counts, cap * sizeof *c);
    if (!c) return CS_ENOMEM;
    memset(c + d->counts_cap, 0, (cap - d->counts_cap) * sizeof *c);
    d->counts = c;
    d->counts_cap = cap;
  }
  d->counts[i]++;
  return CS_OK;
}

static void check_allowed(docs_t *d, const cs_dataset_doc_t *doc) {
  cs_record_facts_t f;
  if (cs_time_parse(doc->created_at, strlen(doc->created_at), &f.created_at) < 0 ||
      cs_kind_parse(doc->kind, strlen(doc->kind), &f.kind) < 0 ||
      cs_visibility_parse(doc->visibility, strlen(doc->visibility), &f.visibility) < 0) {
    problem(d->r, "record %s: damaged created_at, kind or visibility in its index", doc->record);
    return;
  }
  f.deleted = cs_snapshot_deleted(d->snap, doc->record, strlen(doc->record));
  const cs_member_state_t *m = cs_snapshot_member(d->snap, doc->member, strlen(doc->member));
  cs_reason_t why = cs_eligibility_decide(m, &f, d->cfg, d->purpose, cs_snapshot_as_of(d->snap));
  if (why != CS_REASON_INCLUDED)
    problem(d->r, "record %s of member %s: not allowed under the ledger's facts now (%s)",
            doc->record, doc->member, cs_reason_name(why));
}

static int on_doc(void *ctx, const cs_dataset_doc_t *doc) {
  docs_t *d = ctx;
  d->r->out->docs_checked++;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 4096;
    leaf_t *l = realloc(d->leaves, cap * sizeof *l);
    if (!l) return CS_ENOMEM;
    d->leaves = l;
    d->cap = cap;
  }
  leaf_t *l = &d->leaves[d->n];
  l->seq = doc->seq;
  cs_sha256(doc->text, doc->text_len, l->hash);
  if (!(l->record = strdup(doc->record))) return CS_ENOMEM;
  d->n++;
  check_allowed(d, doc);
  return count_member(d, doc->member);
}

static int by_seq(const void *a, const void *b) {
  uint64_t x = ((const leaf_t *)a)->seq, y = ((const leaf_t *)b)->seq;
  return x < y ? -1 : x > y;
}

static void check_root(docs_t *d, json_object *m) {
  qsort(d->leaves, d->n, sizeof *d->leaves, by_seq);
  cs_merkle_t mk;
  cs_merkle_init(&mk);
  for (size_t i = 0; i < d->n; i++) cs_merkle_add(&mk, d->leaves[i].record, strlen(d->leaves[i].record), d->leaves[i].hash);
  char root[65];
  cs_merkle_root_hex(&mk, root);
  json_object *want;
  if (!json_object_object_get_ex(m, "merkle_root", &want) || strcmp(root, json_object_get_string(want)) != 0)
    problem(d->r, "Merkle root of the documents is %s, manifest says %s", root,
            want ? json_object_get_string(want) : "nothing");
}

/* ---- the ledger's view ------------------------------------------------------ */

typedef struct {
  docs_t *d;
  int64_t seen;
} ledger_members_t;

static int on_ledger_member(void *ctx, const char *member, int64_t records) {
  ledger_members_t *lm = ctx;
  int64_t i = cs__idtab_find(&lm->d->members, member, strlen(member));
  int64_t have = i < 0 ? 0 : lm->d->counts[i];
  if (have != records)
    problem(lm->d->r, "member %s: the ledger says %lld records, the dataset holds %lld", member,
            (long long)records, (long long)have);
  lm->seen++;
  return 0;
}

static int found(void *ctx, const cs_lineage_t *l, int64_t n) {
  (void)l, (void)n;
  *(bool *)ctx = true;
  return 0;
}

static int check_ledger(cs_store_t *s, docs_t *d, const char *id, cs_diag_t *diag) {
  bool known = false;
  int rc = cs_store_get_lineage(s, id, found, &known, diag);
  if (rc == CS_ENOTFOUND) {
    problem(d->r, "the ledger has no dataset %s", id);
    return CS_OK;
  }
  ledger_members_t lm = {d, 0};
  if (rc == CS_OK) rc = cs_store_each_lineage_member(s, id, on_ledger_member, &lm, diag);
  if (rc == CS_OK && (size_t)lm.seen != d->members.n)
    problem(d->r, "the dataset holds %zu members, the ledger lists %lld", d->members.n, (long long)lm.seen);
  return rc;
}

/* ---- driver ---------------------------------------------------------------- */

static int load_manifest(const char *dir, json_object **m, char id[65], cs_time_t *as_of,
                         const char **purpose, cs_diag_t *diag) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  cs_buf_t raw = {0};
  FILE *f = fopen(path, "rb");
  int rc = f ? CS_OK : cs_diag_set(diag, CS_ENOTFOUND, "%s: cannot read", path);
  char chunk[1 << 14];
  size_t n;
  while (rc == CS_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (cs_buf_put(&raw, chunk, n) < 0) rc = CS_ENOMEM;
  if (f) fclose(f);
  if (rc == CS_OK) {
    uint8_t h[CS_SHA256_LEN];
    cs_sha256(raw.p, raw.len, h);
    cs_hex(h, sizeof h, id);
    /* json_tokener_parse reads a C string: terminate the bytes just hashed */
    if (cs_buf_put(&raw, "", 1) < 0) rc = cs_diag_set(diag, CS_ENOMEM, "out of memory");
  }
  if (rc == CS_OK) *m = json_tokener_parse(raw.p);
  cs_buf_free(&raw);
  json_object *v;
  const char *t = NULL;
  if (rc == CS_OK && (!*m || !json_object_object_get_ex(*m, "as_of", &v) || !(t = json_object_get_string(v)) ||
                      cs_time_parse(t, strlen(t), as_of) < 0 ||
                      !json_object_object_get_ex(*m, "purpose", &v)))
    rc = cs_diag_set(diag, CS_EINVAL, "%s: not a consentry dataset manifest", path);
  if (rc == CS_OK) *purpose = json_object_get_string(v);
  return rc;
}

int cs_dataset_verify(cs_store_t *s, const cs_config_t *cfg, const char *dir,
                      void (*report)(void *ctx, const char *problem), void *ctx,
                      cs_dataset_verify_t *out, cs_diag_t *diag) {
  memset(out, 0, sizeof *out);
  reporter_t r = {report, ctx, out};
  json_object *m = NULL;
  cs_time_t as_of;
  const char *purpose;
  docs_t d = {.r = &r, .cfg = cfg};
  cs_snapshot_t *snap = NULL;
  int rc = load_manifest(dir, &m, out->id, &as_of, &purpose, diag);
  if (rc == CS_OK && cs_config_purpose(cfg, purpose, &d.purpose) < 0)
    rc = cs_diag_set(diag, CS_EINVAL, "the dataset's purpose %s is not in this configuration", purpose);
  if (rc == CS_OK) rc = cs_snapshot_load(s, cfg, as_of, &snap, diag);
  d.snap = snap;
  if (rc == CS_OK) check_files(&r, dir, m);
  if (rc == CS_OK) rc = cs_dataset_each_doc(dir, CS_DATASET_ALL_SHARDS, on_doc, &d, diag);
  if (rc == CS_OK) check_root(&d, m);
  if (rc == CS_OK) rc = check_ledger(s, &d, out->id, diag);
  for (size_t i = 0; i < d.n; i++) free(d.leaves[i].record);
  free(d.leaves);
  free(d.counts);
  cs__idtab_free(&d.members);
  cs_snapshot_free(snap);
  json_object_put(m);
  return rc;
}
