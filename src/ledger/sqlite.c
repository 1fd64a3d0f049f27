/* sqlite.c — the SQLite backend: open, configure, transactions.
 *
 * Configuration, chosen for a ledger that must not lose a committed fact:
 *  - WAL journal: readers (gate, snapshot) never block the writer.
 *  - synchronous=FULL: in WAL mode NORMAL may lose the last commits on power
 *    loss; FULL syncs the WAL at every commit. A command is one transaction,
 *    so this costs one fsync per command, not per fact.
 *  - foreign_keys on: a fact about an unknown member cannot be stored even if
 *    a caller skips the check ingest makes.
 *  - busy_timeout 5 s: a second writer waits instead of failing at once.
 *  - cache_size 256 MiB (a ceiling, allocated as used): an ingest is one
 *    transaction, and once its dirty pages outgrow the cache SQLite spills
 *    them to the WAL mid-transaction, which made a 2M-fact load ~20% slower
 *    at the 64 MiB tried first.
 * Transactions are BEGIN IMMEDIATE so a writer takes the lock up front and
 * never fails half-way on a lock upgrade.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger/sqlite_impl.h"

#define SCAN_COLS                                                                         \
  "SELECT f.member, f.at, f.seq, f.type, f.fact_id, f.country, f.name, f.value, f.reason," \
  " m.name, m.handle, m.email, m.birth_days"                                              \
  " FROM member_facts f LEFT JOIN members m ON f.type = 1 AND m.id = f.member"

static const char *const sql_text[ST_COUNT_] = {
    [ST_SEQ_GET] = "SELECT value FROM meta WHERE key = 'seq'",
    [ST_SEQ_SET] = "UPDATE meta SET value = ?1 WHERE key = 'seq'",
    [ST_MEMBER_INS] = "INSERT OR IGNORE INTO members(id, seq, name, handle, email, country,"
                      " birth_days, joined_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_MEMBER_DEL] = "DELETE FROM members WHERE id = ?1",
    [ST_MFACT_INS] = "INSERT INTO member_facts(member, at, seq, type, fact_id, country, name,"
                     " value, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [ST_FACTID_INS] = "INSERT OR IGNORE INTO fact_ids(id) VALUES(?1)",
    [ST_FACTID_DEL] = "DELETE FROM fact_ids WHERE id = ?1",
    [ST_MFACT_FIND] = "SELECT 1 FROM member_facts WHERE member = ?1 AND at = ?2 AND type = ?4"
                      " AND country IS ?6 AND name IS ?7 AND value IS ?8 AND reason IS ?9"
                      " LIMIT 1",
    /* A record is deleted from the earliest time any fact says so: a later
     * fact with an earlier time moves the deletion back; a replay changes nothing. */
    [ST_DEL_INS] = "INSERT INTO deletions(record, member, at, seq) VALUES(?1, ?2, ?3, ?4)"
                   " ON CONFLICT(record) DO UPDATE SET member = excluded.member,"
                   " at = excluded.at, seq = excluded.seq WHERE excluded.at < deletions.at",
    [ST_POLICY_INS] = "INSERT OR IGNORE INTO policies(version, purposes, published_at,"
                      " effective_at, seq) VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_MEMBER_GET] = "SELECT id, seq, name, handle, email, country, birth_days, joined_at"
                      " FROM members WHERE id = ?1",
    [ST_SCAN_ALL] = SCAN_COLS " WHERE f.at <= ?1 ORDER BY f.member, f.at, f.seq",
    [ST_SCAN_ONE] = SCAN_COLS " WHERE f.member = ?2 AND f.at <= ?1 ORDER BY f.member, f.at, f.seq",
    [ST_DELETIONS] = "SELECT record, member, at, seq FROM deletions WHERE at <= ?1",
    [ST_POLICIES] = "SELECT version, purposes, published_at, effective_at, seq FROM policies"
                    " ORDER BY effective_at, seq",
    [ST_COUNTS] = "SELECT type, count(*) FROM member_facts GROUP BY type"
                  " UNION ALL SELECT 5, count(*) FROM policies"
                  " UNION ALL SELECT 6, count(*) FROM deletions",
    [ST_READ_BEGIN] = "BEGIN DEFERRED",
    [ST_READ_END] = "COMMIT",
    [ST_TOKEN_INS] = "INSERT INTO member_tokens(hash, member, created_at) VALUES(?1, ?2, ?3)",
    [ST_TOKEN_GET] = "SELECT hash, member FROM member_tokens WHERE hash = ?1 AND revoked_at IS NULL",
    [ST_TOKEN_REVOKE] = "UPDATE member_tokens SET revoked_at = ?2 WHERE member = ?1"
                        " AND revoked_at IS NULL",
};

const char *cs__sqlite_sql(cs_sqlite_stmt_t i) { return sql_text[i]; }

int cs__sqlite_fail(cs_sqlite_t *q, cs_diag_t *diag, const char *what) {
  return cs_diag_set(diag, CS_EDB, "%s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
}

static void sqlite_close(cs_store_t *s) {
  cs_sqlite_t *q = cs__sqlite(s);
  for (int i = 0; i < ST_COUNT_; i++) sqlite3_finalize(q->st[i]);
  sqlite3_close(q->db);
  free(q->path);
  free(q);
}

static int exec(cs_sqlite_t *q, const char *sql, const char *what, cs_diag_t *diag) {
  if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) == SQLITE_OK) return CS_OK;
  return cs__sqlite_fail(q, diag, what);
}

/* Runs a one-column, one-row statement. */
static int step_int64(cs_sqlite_t *q, sqlite3_stmt *st, int64_t *out, cs_diag_t *diag) {
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? CS_OK : cs__sqlite_fail(q, diag, "read seq");
}

static int sqlite_begin(cs_store_t *s, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  int rc = exec(q, "BEGIN IMMEDIATE", "begin", diag);
  if (rc == CS_OK) rc = step_int64(q, q->st[ST_SEQ_GET], &q->seq, diag);
  if (rc < 0) sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static int sqlite_commit(cs_store_t *s, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st = q->st[ST_SEQ_SET];
  sqlite3_bind_int64(st, 1, q->seq);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return cs__sqlite_fail(q, diag, "write seq");
  return exec(q, "COMMIT", "commit", diag);
}

/* A deferred BEGIN takes the WAL read lock at the first read and keeps it
 * (one snapshot) until the end. */
static int sqlite_read_begin(cs_store_t *s, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  int rc = sqlite3_step(q->st[ST_READ_BEGIN]);
  sqlite3_reset(q->st[ST_READ_BEGIN]);
  return rc == SQLITE_DONE ? CS_OK : cs__sqlite_fail(q, diag, "begin read");
}

static void sqlite_read_end(cs_store_t *s) {
  cs_sqlite_t *q = cs__sqlite(s);
  if (sqlite3_step(q->st[ST_READ_END]) != SQLITE_DONE)
    sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_reset(q->st[ST_READ_END]);
}

static void sqlite_rollback(cs_store_t *s) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

/* SQLite checkpoints the WAL inside whichever COMMIT crosses 1000 pages, so
 * that commit (and every change waiting on it) pays for copying pages into
 * the database file and its fsync. A server's writer turns that off and lets
 * a second connection checkpoint beside it (cs_store_checkpoint). */
static int sqlite_set_autocheckpoint(cs_store_t *s, bool on, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  if (sqlite3_wal_autocheckpoint(q->db, on ? 1000 : 0) != SQLITE_OK)
    return cs__sqlite_fail(q, diag, "autocheckpoint");
  return CS_OK;
}

/* PASSIVE: copies what it can without waiting for readers or the writer. */
static int sqlite_checkpoint(cs_store_t *s, int64_t *out_pages, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  int log = 0, done = 0;
  int rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return cs__sqlite_fail(q, diag, "checkpoint");
  if (out_pages) *out_pages = done > 0 ? done : 0;
  return CS_OK;
}

static const cs_store_ops_t sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .read_begin = sqlite_read_begin,
    .read_end = sqlite_read_end,
    .put_fact = cs__sqlite_put_fact,
    .get_member = cs__sqlite_get_member,
    .each_member_fact = cs__sqlite_each_member_fact,
    .each_deletion = cs__sqlite_each_deletion,
    .each_policy = cs__sqlite_each_policy,
    .counts = cs__sqlite_counts,
    .put_lineage = cs__sqlite_put_lineage,
    .get_lineage = cs__sqlite_get_lineage,
    .each_member_lineage = cs__sqlite_each_member_lineage,
    .each_lineage_member = cs__sqlite_each_lineage_member,
    .token_put = cs__sqlite_token_put,
    .token_lookup = cs__sqlite_token_lookup,
    .token_revoke = cs__sqlite_token_revoke,
    .last_seq = cs__sqlite_last_seq,
    .set_autocheckpoint = sqlite_set_autocheckpoint,
    .checkpoint = sqlite_checkpoint,
};

static int configure(cs_sqlite_t *q, cs_diag_t *diag) {
  sqlite3_extended_result_codes(q->db, 1);
  sqlite3_busy_timeout(q->db, 5000);
  return exec(q,
              "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
              " PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144",
              "configure", diag);
}

static int prepare_all(cs_sqlite_t *q, cs_diag_t *diag) {
  for (int i = 0; i < ST_COUNT_; i++)
    if (sqlite3_prepare_v3(q->db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i], NULL) !=
        SQLITE_OK)
      return cs__sqlite_fail(q, diag, "prepare");
  return CS_OK;
}

int cs__sqlite_open(const char *path, cs_store_t **out, cs_diag_t *diag) {
  cs_sqlite_t *q = calloc(1, sizeof *q);
  if (!q || !(q->path = strdup(path))) {
    free(q);
    return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  }
  q->base.ops = &sqlite_ops;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path, &q->db, flags, NULL) == SQLITE_OK
               ? CS_OK
               : cs__sqlite_fail(q, diag, "open");
  if (rc == CS_OK) rc = configure(q, diag);
  if (rc == CS_OK) rc = cs__schema_migrate(q->db, path, &q->base.schema_version, diag);
  if (rc == CS_OK) rc = prepare_all(q, diag);
  if (rc < 0) {
    sqlite_close(&q->base);
    return rc;
  }
  *out = &q->base;
  return CS_OK;
}
