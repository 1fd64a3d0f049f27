/* lineage.c — whose data a run used, and its entry in the ledger.
 *
 * The members come from the trained shards' index files (one line per
 * document, naming its member), not from the token stream: the index is what
 * the dataset's manifest hashes, so the ledger names exactly the members
 * whose records the models saw. A member's records all sit in one shard; the
 * counts are still merged by id so the rule is not load-bearing here.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <consentry/afile.h>
#include <consentry/merkle.h>
#include <consentry/time.h>

#include "core/lines.h"
#include "train/train_int.h"

void cs__run_members_free(cs__run_members_t *m) {
  for (size_t i = 0; m->names && i < m->n_names; i++) free(m->names[i]);
  free(m->names);
  free(m->m);
  memset(m, 0, sizeof *m);
}

static int add_member(cs__run_members_t *m, const char *id, size_t len) {
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 256;
    cs_lineage_member_t *nm = realloc(m->m, cap * sizeof *nm);
    if (nm) m->m = nm;
    char **nn = nm ? realloc(m->names, cap * sizeof *nn) : NULL;
    if (!nn) return CS_ENOMEM;
    m->names = nn;
    m->cap = cap;
  }
  char *copy = strndup(id, len);
  if (!copy) return CS_ENOMEM;
  m->names[m->n_names++] = copy;
  m->m[m->n++] = (cs_lineage_member_t){copy, 1};
  return CS_OK;
}

/* The member of one index line. */
static int line_member(json_tokener *jt, const char *line, size_t len, const char **id,
                       size_t *id_len) {
  json_object *o = json_tokener_parse_ex(jt, line, (int)len), *v;
  json_tokener_reset(jt);
  int rc = o && json_object_object_get_ex(o, "member", &v) && json_object_is_type(v, json_type_string)
               ? CS_OK
               : CS_EINVAL;
  if (rc == CS_OK) {
    *id_len = (size_t)json_object_get_string_len(v);
    *id = strndup(json_object_get_string(v), *id_len);
    if (!*id) rc = CS_ENOMEM;
  }
  json_object_put(o);
  return rc;
}

static int by_member(const void *a, const void *b) {
  return strcmp(((const cs_lineage_member_t *)a)->member, ((const cs_lineage_member_t *)b)->member);
}

/* Appends one shard's documents (one entry per document, merged later). */
static int read_index(const char *path, json_tokener *jt, cs__run_members_t *m,
                      cs_train_shard_result_t *res, cs_diag_t *diag) {
  cs_lines_t *lr = NULL;
  int rc = cs_lines_open(path, &lr, diag);
  const char *line;
  size_t len, first = m->n;
  while (rc == CS_OK && (rc = cs_lines_next(lr, &line, &len, diag)) == 1) {
    const char *id = NULL;
    size_t id_len = 0;
    rc = len > INT32_MAX ? CS_EINVAL : line_member(jt, line, len, &id, &id_len);
    if (rc == CS_OK) rc = add_member(m, id, id_len);
    free((void *)id);
    if (rc == CS_EINVAL) rc = cs_diag_set(diag, rc, "%s:%zu: damaged index line", path, cs_lines_number(lr));
    else if (rc == CS_ENOMEM) rc = cs_diag_set(diag, rc, "train: out of memory");
    res->records += rc == CS_OK;
  }
  cs_lines_close(lr);
  if (rc == CS_OK && m->n > first) { /* distinct members of this shard */
    qsort(m->m + first, m->n - first, sizeof *m->m, by_member);
    for (size_t i = first; i < m->n; i++)
      res->members += i == first || strcmp(m->m[i].member, m->m[i - 1].member) != 0;
  }
  return rc;
}

/* Sorts by member and merges equal ids, adding their counts. */
static void merge(cs__run_members_t *m) {
  if (m->n == 0) return;
  qsort(m->m, m->n, sizeof *m->m, by_member);
  size_t w = 0;
  for (size_t i = 1; i < m->n; i++) {
    if (strcmp(m->m[i].member, m->m[w].member) == 0) m->m[w].records += m->m[i].records;
    else m->m[++w] = m->m[i];
  }
  m->n = w + 1; /* names keeps every copy (n_names), so all are freed */
}

int cs__run_collect_members(const char *dataset_dir, const cs__dataset_info_t *ds, cs__run_t *r,
                        cs__run_members_t *out, cs_diag_t *diag) {
  json_tokener *jt = json_tokener_new();
  cs__run_members_t m = {0};
  int rc = jt ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "train: out of memory");
  for (size_t i = 0; rc == CS_OK && i < r->cfg.n_shards; i++) {
    char path[CS__PATH];
    unsigned k = r->cfg.shards[i];
    snprintf(path, sizeof path, "%s/%s", dataset_dir, ds->shard_index[k]);
    r->shard[i].records = r->shard[i].members = 0;
    r->shard[i].tokens = ds->shard_tokens[k];
    rc = read_index(path, jt, &m, &r->shard[i], diag);
  }
  json_tokener_free(jt);
  if (rc < 0) {
    cs__run_members_free(&m);
    return rc;
  }
  merge(&m);
  *out = m;
  return CS_OK;
}

/* ---- the ledger entry ----------------------------------------------------- */

static int file_digest(const char *path, char hex[65], cs_diag_t *diag) {
  FILE *f = fopen(path, "rb");
  if (!f) return cs_diag_set(diag, CS_EIO, "%s: cannot read", path);
  cs_buf_t b = {0};
  char chunk[1 << 14];
  size_t n;
  int rc = CS_OK;
  while (rc == CS_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) rc = cs_buf_put(&b, chunk, n);
  if (ferror(f)) rc = cs_diag_set(diag, CS_EIO, "%s: read failed", path);
  fclose(f);
  if (rc == CS_OK) {
    uint8_t h[CS_SHA256_LEN];
    cs_sha256(b.p ? b.p : "", b.len, h);
    cs_hex(h, sizeof h, hex);
  }
  cs_buf_free(&b);
  return rc;
}

/* {"config":{...},"losses":[{"shard":K,"train_loss":x,"val_loss":y|null},...]} */
static int details(const cs__run_t *r, cs_buf_t *b) {
  int rc = cs_buf_puts(b, "{\"config\":");
  if (rc == CS_OK) rc = cs__run_cfg_json(&r->cfg, b);
  if (rc == CS_OK) rc = cs_buf_puts(b, ",\"losses\":[");
  for (size_t i = 0; rc == CS_OK && i < r->cfg.n_shards; i++) {
    const cs_train_shard_result_t *s = &r->shard[i];
    rc = cs_buf_printf(b, "%s{\"shard\":%u,\"steps\":%llu,\"train_loss\":%.9g,\"val_loss\":", i ? "," : "",
                       s->shard, (unsigned long long)s->steps_done, (double)s->train_loss);
    if (rc == CS_OK)
      rc = s->val_loss == s->val_loss ? cs_buf_printf(b, "%.9g}", (double)s->val_loss)
                                      : cs_buf_puts(b, "null}");
  }
  if (rc == CS_OK) rc = cs_buf_put(b, "]}", 3); /* with its NUL: details is a C string */
  if (rc == CS_OK) b->len--;
  return rc;
}

static void totals(const cs__run_t *r, const cs__run_members_t *mem, cs_lineage_t *l) {
  l->members = (int64_t)mem->n;
  for (size_t i = 0; i < r->cfg.n_shards; i++) {
    l->records += (int64_t)r->shard[i].records;
    l->tokens += (int64_t)r->shard[i].tokens;
  }
}

int cs__register_run(cs_store_t *s, const char *out_dir, const cs__dataset_info_t *ds,
                     const cs__run_t *r, const cs__run_members_t *mem, cs_diag_t *diag) {
  char id[65], digest[65], path[CS__PATH];
  cs_time_t as_of = 0, now = 0;
  cs_buf_t det = {0};
  snprintf(path, sizeof path, "%s/run.json", out_dir);
  int rc = cs__run_id(&r->cfg, id) == CS_OK && details(r, &det) == CS_OK
               ? CS_OK
               : cs_diag_set(diag, CS_ENOMEM, "train: out of memory");
  if (rc == CS_OK) rc = file_digest(path, digest, diag);
  if (rc == CS_OK && cs_time_parse(ds->as_of, strlen(ds->as_of), &as_of) < 0)
    rc = cs_diag_set(diag, CS_EINVAL, "dataset manifest: as_of: not a time");
  if (rc == CS_OK) rc = cs_time_now(&now);
  cs_lineage_t l = {.id = id, .kind = "training_run", .purpose = ds->purpose,
                    .policy_version = ds->policy_version, .parent = ds->id, .location = out_dir,
                    .digest = digest, .as_of = as_of, .created_at = now, .details = det.p};
  totals(r, mem, &l);
  if (rc == CS_OK) rc = cs_store_begin(s, diag);
  if (rc == CS_OK) {
    rc = cs_store_put_lineage(s, &l, mem->m, mem->n, diag);
    if (rc == CS_OK) rc = cs_store_commit(s, diag);
    if (rc < 0) cs_store_rollback(s);
  }
  cs_buf_free(&det);
  return rc;
}
