/* store_impl.h — the backend side of the store interface (internal).
 *
 * A backend fills in one cs_store_ops_t and embeds cs_store_t as the first
 * member of its own struct, so a cs_store_t * can be cast to the backend's
 * type inside its functions. store.c checks arguments once and dispatches;
 * backends may assume s and f are non-NULL and that writes happen inside a
 * transaction (store.c refuses them otherwise).
 */
#ifndef CS_LEDGER_STORE_IMPL_H
#define CS_LEDGER_STORE_IMPL_H

#include <consentry/store.h>

typedef struct {
  const char *name; /* "sqlite", for messages */
  void (*close)(cs_store_t *s);
  int (*begin)(cs_store_t *s, cs_diag_t *diag);
  int (*commit)(cs_store_t *s, cs_diag_t *diag);
  void (*rollback)(cs_store_t *s);
  int (*read_begin)(cs_store_t *s, cs_diag_t *diag);
  void (*read_end)(cs_store_t *s);
  int (*put_fact)(cs_store_t *s, const cs_fact_t *f, bool *out_inserted, cs_diag_t *diag);
  int (*get_member)(cs_store_t *s, const char *id, cs_fact_cb cb, void *ctx, cs_diag_t *diag);
  int (*each_member_fact)(cs_store_t *s, const char *member, cs_time_t as_of, cs_fact_cb cb,
                          void *ctx, cs_diag_t *diag);
  int (*each_deletion)(cs_store_t *s, cs_time_t as_of, cs_fact_cb cb, void *ctx,
                       cs_diag_t *diag);
  int (*each_policy)(cs_store_t *s, cs_fact_cb cb, void *ctx, cs_diag_t *diag);
  int (*counts)(cs_store_t *s, cs_store_counts_t *out, cs_diag_t *diag);
  int (*put_lineage)(cs_store_t *s, const cs_lineage_t *l, const cs_lineage_member_t *m,
                     size_t n, cs_diag_t *diag);
  int (*get_lineage)(cs_store_t *s, const char *id, cs_lineage_cb cb, void *ctx,
                     cs_diag_t *diag);
  int (*each_member_lineage)(cs_store_t *s, const char *member, cs_lineage_cb cb, void *ctx,
                             cs_diag_t *diag);
  int (*each_lineage_member)(cs_store_t *s, const char *id,
                             int (*cb)(void *ctx, const char *member, int64_t records), void *ctx,
                             cs_diag_t *diag);
  int (*token_put)(cs_store_t *s, const uint8_t hash[32], const char *member, cs_time_t created,
                   cs_diag_t *diag);
  int (*token_lookup)(cs_store_t *s, const uint8_t hash[32], char *out_member, size_t cap,
                      cs_diag_t *diag);
  int (*token_revoke)(cs_store_t *s, const char *member, cs_time_t at, int64_t *out_n,
                      cs_diag_t *diag);
  int64_t (*last_seq)(cs_store_t *s);
  int (*set_autocheckpoint)(cs_store_t *s, bool on, cs_diag_t *diag);
  int (*checkpoint)(cs_store_t *s, int64_t *out_pages, cs_diag_t *diag);
} cs_store_ops_t;

struct cs_store {
  const cs_store_ops_t *ops;
  int schema_version; /* after migration */
  bool in_tx;         /* between begin and commit/rollback */
  bool in_read;       /* between read_begin and read_end */
};

/* The SQLite backend: path is a file name (created if missing). */
int cs__sqlite_open(const char *path, cs_store_t **out, cs_diag_t *diag);

#endif
