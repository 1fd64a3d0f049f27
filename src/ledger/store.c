/* store.c — the store interface: picks a backend by URI and dispatches.
 *
 * The checks every backend would otherwise repeat live here: NULL arguments,
 * writes outside a transaction, nested transactions. A backend only sees
 * calls that make sense.
 */
#include <string.h>

#include "ledger/store_impl.h"

static bool has_prefix(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

int cs_store_open(const char *uri, cs_store_t **out, cs_diag_t *diag) {
  if (!uri || !*uri || !out) return cs_diag_set(diag, CS_EINVAL, "store: expected a ledger path");
  if (has_prefix(uri, "postgres://") || has_prefix(uri, "postgresql://"))
    return cs_diag_set(diag, CS_EINVAL, "%s: PostgreSQL backend not built", uri);
  return cs__sqlite_open(uri, out, diag);
}

void cs_store_close(cs_store_t *s) {
  if (!s) return;
  if (s->in_tx) s->ops->rollback(s);
  if (s->in_read) s->ops->read_end(s);
  s->ops->close(s);
}

int cs_store_schema_version(cs_store_t *s) { return s ? s->schema_version : 0; }

int cs_store_begin(cs_store_t *s, cs_diag_t *diag) {
  if (!s) return cs_diag_set(diag, CS_EINVAL, "store: no ledger open");
  if (s->in_tx || s->in_read)
    return cs_diag_set(diag, CS_EINTERNAL, "store: transaction already open");
  int rc = s->ops->begin(s, diag);
  if (rc == CS_OK) s->in_tx = true;
  return rc;
}

int cs_store_commit(cs_store_t *s, cs_diag_t *diag) {
  if (!s || !s->in_tx) return cs_diag_set(diag, CS_EINTERNAL, "store: commit without begin");
  int rc = s->ops->commit(s, diag);
  if (rc < 0) s->ops->rollback(s); /* a failed commit leaves the ledger as it was */
  s->in_tx = false;
  return rc;
}

int cs_store_read_begin(cs_store_t *s, cs_diag_t *diag) {
  if (!s) return cs_diag_set(diag, CS_EINVAL, "store: no ledger open");
  if (s->in_tx || s->in_read)
    return cs_diag_set(diag, CS_EINTERNAL, "store: transaction already open");
  int rc = s->ops->read_begin(s, diag);
  if (rc == CS_OK) s->in_read = true;
  return rc;
}

void cs_store_read_end(cs_store_t *s) {
  if (!s || !s->in_read) return;
  s->ops->read_end(s);
  s->in_read = false;
}

int cs_store_set_autocheckpoint(cs_store_t *s, bool on, cs_diag_t *diag) {
  if (!s) return cs_diag_set(diag, CS_EINVAL, "store: no ledger open");
  return s->ops->set_autocheckpoint(s, on, diag);
}

int cs_store_checkpoint(cs_store_t *s, int64_t *out_pages, cs_diag_t *diag) {
  if (!s) return cs_diag_set(diag, CS_EINVAL, "store: no ledger open");
  if (s->in_tx || s->in_read)
    return cs_diag_set(diag, CS_EINTERNAL, "store: checkpoint inside a transaction");
  return s->ops->checkpoint(s, out_pages, diag);
}

void cs_store_rollback(cs_store_t *s) {
  if (!s || !s->in_tx) return;
  s->ops->rollback(s);
  s->in_tx = false;
}

int cs_store_put_fact(cs_store_t *s, const cs_fact_t *f, bool *out_inserted, cs_diag_t *diag) {
  if (!s || !f) return cs_diag_set(diag, CS_EINVAL, "store: no ledger or fact");
  if (!s->in_tx) return cs_diag_set(diag, CS_EINTERNAL, "store: write outside a transaction");
  bool inserted = false;
  int rc = s->ops->put_fact(s, f, &inserted, diag);
  if (rc == CS_OK && out_inserted) *out_inserted = inserted;
  return rc;
}

int cs_store_get_member(cs_store_t *s, const char *id, cs_fact_cb cb, void *ctx,
                        cs_diag_t *diag) {
  if (!s || !id || !cb) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  return s->ops->get_member(s, id, cb, ctx, diag);
}

int cs_store_each_member_fact(cs_store_t *s, const char *member, cs_time_t as_of, cs_fact_cb cb,
                              void *ctx, cs_diag_t *diag) {
  if (!s || !cb) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  return s->ops->each_member_fact(s, member, as_of, cb, ctx, diag);
}

int cs_store_each_deletion(cs_store_t *s, cs_time_t as_of, cs_fact_cb cb, void *ctx,
                           cs_diag_t *diag) {
  if (!s || !cb) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  return s->ops->each_deletion(s, as_of, cb, ctx, diag);
}

int cs_store_each_policy(cs_store_t *s, cs_fact_cb cb, void *ctx, cs_diag_t *diag) {
  if (!s || !cb) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  return s->ops->each_policy(s, cb, ctx, diag);
}

int cs_store_counts(cs_store_t *s, cs_store_counts_t *out, cs_diag_t *diag) {
  if (!s || !out) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  cs_store_counts_t c = {0};
  int rc = s->ops->counts(s, &c, diag);
  if (rc == CS_OK) *out = c;
  return rc;
}

int cs_store_put_lineage(cs_store_t *s, const cs_lineage_t *l, const cs_lineage_member_t *members,
                         size_t n_members, cs_diag_t *diag) {
  if (!s || !l || !l->id || !l->kind || (n_members && !members))
    return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  if (!s->in_tx) return cs_diag_set(diag, CS_EINTERNAL, "store: write outside a transaction");
  return s->ops->put_lineage(s, l, members, n_members, diag);
}

int cs_store_get_lineage(cs_store_t *s, const char *id, cs_lineage_cb cb, void *ctx,
                         cs_diag_t *diag) {
  if (!s || !id || !cb) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  return s->ops->get_lineage(s, id, cb, ctx, diag);
}

int cs_store_each_member_lineage(cs_store_t *s, const char *member, cs_lineage_cb cb, void *ctx,
                                 cs_diag_t *diag) {
  if (!s || !member || !cb) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  return s->ops->each_member_lineage(s, member, cb, ctx, diag);
}

int cs_store_each_lineage_member(cs_store_t *s, const char *id,
                                 int (*cb)(void *ctx, const char *member, int64_t records),
                                 void *ctx, cs_diag_t *diag) {
  if (!s || !id || !cb) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  return s->ops->each_lineage_member(s, id, cb, ctx, diag);
}

int64_t cs_store_last_seq(cs_store_t *s) { return s ? s->ops->last_seq(s) : 0; }

int cs_store_token_put(cs_store_t *s, const uint8_t hash[32], const char *member,
                       cs_time_t created, cs_diag_t *diag) {
  if (!s || !hash || !member) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  if (!s->in_tx) return cs_diag_set(diag, CS_EINTERNAL, "store: write outside a transaction");
  return s->ops->token_put(s, hash, member, created, diag);
}

int cs_store_token_lookup(cs_store_t *s, const uint8_t hash[32], char *out_member, size_t cap,
                          cs_diag_t *diag) {
  if (!s || !hash || !out_member || cap == 0)
    return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  return s->ops->token_lookup(s, hash, out_member, cap, diag);
}

int cs_store_token_revoke(cs_store_t *s, const char *member, cs_time_t at, int64_t *out_n,
                          cs_diag_t *diag) {
  if (!s || !member) return cs_diag_set(diag, CS_EINVAL, "store: missing argument");
  if (!s->in_tx) return cs_diag_set(diag, CS_EINTERNAL, "store: write outside a transaction");
  int64_t n = 0;
  int rc = s->ops->token_revoke(s, member, at, &n, diag);
  if (rc == CS_OK && out_n) *out_n = n;
  return rc;
}
