/* sqlite_lineage.c — datasets and training runs, and whose data they used.
 *
 * Lineage is written once per build or run and read by audits and the usage
 * report, so its statements are prepared per call rather than cached, except
 * the per-member insert, which one prepared statement serves for all members.
 */
#include "ledger/sqlite_impl.h"

#define LINEAGE_COLS                                                                   \
  "l.id, l.kind, l.purpose, l.policy_version, l.parent, l.location, l.digest, l.as_of," \
  " l.created_at, l.records, l.members, l.tokens, l.details"

static void bind_opt(sqlite3_stmt *st, int i, const char *s) {
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, i);
}

static int prepare(cs_sqlite_t *q, const char *sql, sqlite3_stmt **st, cs_diag_t *diag) {
  if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
    return cs__sqlite_fail(q, diag, "lineage");
  return CS_OK;
}

/* *out_new: false when the id was registered already (nothing written). */
static int insert_row(cs_sqlite_t *q, const cs_lineage_t *l, bool *out_new, cs_diag_t *diag) {
  sqlite3_stmt *st;
  int rc = prepare(q,
                   "INSERT OR IGNORE INTO lineage(id, kind, purpose, policy_version, parent, location,"
                   " digest, as_of, created_at, records, members, tokens, details)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                   &st, diag);
  if (rc < 0) return rc;
  const char *text[] = {l->id, l->kind, l->purpose, l->policy_version, l->parent, l->location,
                        l->digest};
  for (int i = 0; i < 7; i++) bind_opt(st, i + 1, text[i]);
  sqlite3_bind_int64(st, 8, l->as_of);
  sqlite3_bind_int64(st, 9, l->created_at);
  sqlite3_bind_int64(st, 10, l->records);
  sqlite3_bind_int64(st, 11, l->members);
  sqlite3_bind_int64(st, 12, l->tokens);
  bind_opt(st, 13, l->details);
  if (sqlite3_step(st) != SQLITE_DONE) rc = cs__sqlite_fail(q, diag, "lineage");
  *out_new = rc == CS_OK && sqlite3_changes(q->db) > 0;
  sqlite3_finalize(st);
  return rc;
}

int cs__sqlite_put_lineage(cs_store_t *s, const cs_lineage_t *l, const cs_lineage_member_t *m,
                           size_t n, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  bool is_new = false;
  int rc = insert_row(q, l, &is_new, diag);
  if (rc < 0 || !is_new) return rc;
  sqlite3_stmt *st = NULL;
  if (rc == CS_OK)
    rc = prepare(q, "INSERT INTO lineage_members(lineage, member, records) VALUES(?1, ?2, ?3)",
                 &st, diag);
  for (size_t i = 0; rc == CS_OK && i < n; i++) {
    sqlite3_bind_text(st, 1, l->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m[i].member, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, m[i].records);
    if (sqlite3_step(st) != SQLITE_DONE)
      rc = cs_diag_set(diag, CS_EDB, "lineage %s: member %s: %s", l->id, m[i].member,
                       sqlite3_errmsg(q->db));
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  return rc;
}

static const char *col(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }

static void read_row(sqlite3_stmt *st, cs_lineage_t *l) {
  l->id = col(st, 0);
  l->kind = col(st, 1);
  l->purpose = col(st, 2);
  l->policy_version = col(st, 3);
  l->parent = col(st, 4);
  l->location = col(st, 5);
  l->digest = col(st, 6);
  l->as_of = sqlite3_column_int64(st, 7);
  l->created_at = sqlite3_column_int64(st, 8);
  l->records = sqlite3_column_int64(st, 9);
  l->members = sqlite3_column_int64(st, 10);
  l->tokens = sqlite3_column_int64(st, 11);
  l->details = col(st, 12);
}

/* Runs a lineage query bound to key; column 13 (if any) is member_records. */
static int each_row(cs_sqlite_t *q, const char *sql, const char *key, cs_lineage_cb cb, void *ctx,
                    int *out_rows, cs_diag_t *diag) {
  sqlite3_stmt *st;
  int rc = prepare(q, sql, &st, diag), step;
  if (rc < 0) return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  *out_rows = 0;
  while (rc == CS_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
    cs_lineage_t l;
    read_row(st, &l);
    ++*out_rows;
    int64_t member_records = sqlite3_column_count(st) > 13 ? sqlite3_column_int64(st, 13) : 0;
    rc = cb(ctx, &l, member_records);
  }
  if (rc == CS_OK && step != SQLITE_DONE) rc = cs__sqlite_fail(q, diag, "lineage");
  sqlite3_finalize(st);
  return rc;
}

int cs__sqlite_get_lineage(cs_store_t *s, const char *id, cs_lineage_cb cb, void *ctx,
                           cs_diag_t *diag) {
  int rows;
  int rc = each_row(cs__sqlite(s), "SELECT " LINEAGE_COLS " FROM lineage l WHERE l.id = ?1", id,
                    cb, ctx, &rows, diag);
  if (rc == CS_OK && rows == 0)
    return cs_diag_set(diag, CS_ENOTFOUND, "no dataset or run with id %s in the ledger", id);
  return rc;
}

int cs__sqlite_each_member_lineage(cs_store_t *s, const char *member, cs_lineage_cb cb,
                                   void *ctx, cs_diag_t *diag) {
  int rows;
  return each_row(cs__sqlite(s),
                  "SELECT " LINEAGE_COLS ", m.records FROM lineage_members m"
                  " JOIN lineage l ON l.id = m.lineage WHERE m.member = ?1"
                  " ORDER BY l.created_at, l.id",
                  member, cb, ctx, &rows, diag);
}

int cs__sqlite_each_lineage_member(cs_store_t *s, const char *id,
                                   int (*cb)(void *ctx, const char *member, int64_t records),
                                   void *ctx, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st;
  int rc = prepare(q,
                   "SELECT member, records FROM lineage_members WHERE lineage = ?1"
                   " ORDER BY member",
                   &st, diag),
      step;
  if (rc < 0) return rc;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  while (rc == CS_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
    rc = cb(ctx, col(st, 0), sqlite3_column_int64(st, 1));
  if (rc == CS_OK && step != SQLITE_DONE) rc = cs__sqlite_fail(q, diag, "lineage");
  sqlite3_finalize(st);
  return rc;
}
