/* sqlite_impl.h — shared internals of the SQLite backend (internal).
 *
 * The backend is split by concept: sqlite.c opens, configures and brackets
 * transactions; schema.c migrates; sqlite_write.c appends facts;
 * sqlite_read.c scans them. They share the connection and its cache of
 * prepared statements, one per query, prepared once at open: every query is
 * a fixed string with ?N parameters, never SQL built from data.
 */
#ifndef CS_LEDGER_SQLITE_IMPL_H
#define CS_LEDGER_SQLITE_IMPL_H

#include <sqlite3.h>

#include "ledger/store_impl.h"

typedef enum {
  ST_SEQ_GET,     /* the global seq counter at begin */
  ST_SEQ_SET,     /* ... written back at commit */
  ST_MEMBER_INS,  /* members row; ignored when the id exists */
  ST_MEMBER_DEL,  /* undo of ST_MEMBER_INS when the rest of a put fails */
  ST_MFACT_INS,   /* member_facts row */
  ST_FACTID_INS,  /* an explicit fact id; ignored when known */
  ST_FACTID_DEL,
  ST_MFACT_FIND,  /* an identical member fact: the key of facts without an id */
  ST_DEL_INS,     /* content_deleted; ignored when the record is known */
  ST_POLICY_INS,  /* policy; ignored when the version is known */
  ST_MEMBER_GET,
  ST_SCAN_ALL,    /* member facts of everyone as of T, by (member, at, seq) */
  ST_SCAN_ONE,    /* ... of one member */
  ST_DELETIONS,
  ST_POLICIES,
  ST_COUNTS,
  ST_READ_BEGIN,  /* a read-only snapshot */
  ST_READ_END,
  ST_TOKEN_INS,   /* a sign-in token's hash */
  ST_TOKEN_GET,   /* ... looked up (not revoked) */
  ST_TOKEN_REVOKE,/* every token of one member */
  ST_COUNT_      /* number of statements */
} cs_sqlite_stmt_t;

typedef struct {
  cs_store_t base;           /* first: a cs_store_t * is a cs_sqlite_t * */
  sqlite3 *db;
  char *path;                /* for messages */
  sqlite3_stmt *st[ST_COUNT_];
  int64_t seq;               /* last seq assigned; valid inside a transaction */
} cs_sqlite_t;

static inline cs_sqlite_t *cs__sqlite(cs_store_t *s) { return (cs_sqlite_t *)s; }

/* CS_EDB with "PATH: what: sqlite's message" in diag. */
int cs__sqlite_fail(cs_sqlite_t *q, cs_diag_t *diag, const char *what);

/* Creates or migrates the schema in one transaction; *out_version is the
 * version after. CS_ESCHEMA if the file is newer than this build. */
int cs__schema_migrate(sqlite3 *db, const char *path, int *out_version, cs_diag_t *diag);
/* The newest schema version this build knows. */
int cs__schema_latest(void);
/* The SQL text of each cached statement (valid for the latest schema). */
const char *cs__sqlite_sql(cs_sqlite_stmt_t i);

int cs__sqlite_put_fact(cs_store_t *s, const cs_fact_t *f, bool *out_inserted, cs_diag_t *diag);
int cs__sqlite_get_member(cs_store_t *s, const char *id, cs_fact_cb cb, void *ctx,
                          cs_diag_t *diag);
int cs__sqlite_each_member_fact(cs_store_t *s, const char *member, cs_time_t as_of,
                                cs_fact_cb cb, void *ctx, cs_diag_t *diag);
int cs__sqlite_each_deletion(cs_store_t *s, cs_time_t as_of, cs_fact_cb cb, void *ctx,
                             cs_diag_t *diag);
int cs__sqlite_each_policy(cs_store_t *s, cs_fact_cb cb, void *ctx, cs_diag_t *diag);
int cs__sqlite_counts(cs_store_t *s, cs_store_counts_t *out, cs_diag_t *diag);
int cs__sqlite_token_put(cs_store_t *s, const uint8_t hash[32], const char *member,
                         cs_time_t created, cs_diag_t *diag);
int cs__sqlite_token_lookup(cs_store_t *s, const uint8_t hash[32], char *out_member, size_t cap,
                            cs_diag_t *diag);
int cs__sqlite_token_revoke(cs_store_t *s, const char *member, cs_time_t at, int64_t *out_n,
                            cs_diag_t *diag);
int64_t cs__sqlite_last_seq(cs_store_t *s);
int cs__sqlite_put_lineage(cs_store_t *s, const cs_lineage_t *l, const cs_lineage_member_t *m,
                           size_t n, cs_diag_t *diag);
int cs__sqlite_get_lineage(cs_store_t *s, const char *id, cs_lineage_cb cb, void *ctx,
                           cs_diag_t *diag);
int cs__sqlite_each_member_lineage(cs_store_t *s, const char *member, cs_lineage_cb cb,
                                   void *ctx, cs_diag_t *diag);
int cs__sqlite_each_lineage_member(cs_store_t *s, const char *id,
                                   int (*cb)(void *ctx, const char *member, int64_t records),
                                   void *ctx, cs_diag_t *diag);

#endif
