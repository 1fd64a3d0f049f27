/* schema.c — the ledger's SQLite schema and its migrations.
 *
 * The schema version lives in meta('schema_version'). migrations[i] takes a
 * ledger from version i to i + 1; all pending steps run in one IMMEDIATE
 * transaction, so a ledger is never left half-migrated and two processes
 * opening a fresh file at once do not both create it. A file whose version
 * is above the last step was written by a newer consentry: CS_ESCHEMA, and
 * nothing is touched. Steps are append-only: never edit a released one.
 *
 * Layout (version 1):
 *  - members: one row per member fact, keyed by member id.
 *  - member_facts: every fact the eligibility snapshot reads (member,
 *    location, setting, objection, account_closed), clustered by
 *    (member, at, seq) so the as-of scan is one ordered pass with no sort.
 *    `name` is the setting or purpose, `value` the setting's boolean or the
 *    objection's `withdrawn`, `country` two letters.
 *  - fact_ids: the optional ids of member facts, for dedup. A fact without
 *    an id is known when an identical row (same member, at, type, payload)
 *    exists; that lookup lands on the page the insert writes, so it is cheap.
 *  - deletions, policies: keyed by record id and version.
 *  - meta('seq'): the last seq handed out (ingest order across all tables).
 *
 * Version 2 adds lineage (datasets and training runs) and lineage_members
 * (which members each used, indexed both ways for "how my data was used").
 *
 * Version 3 adds member_tokens: the SHA-256 of each sign-in token issued by
 * `consentry member token` (the token itself is never stored), the member it
 * signs in, when it was issued and, once revoked, when.
 */
#include "ledger/sqlite_impl.h"

static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE members("
    " id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL,"
    " handle TEXT NOT NULL, email TEXT NOT NULL, country TEXT NOT NULL,"
    " birth_days INTEGER, joined_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE member_facts("
    " member TEXT NOT NULL REFERENCES members(id), at INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, type INTEGER NOT NULL, fact_id TEXT, country TEXT,"
    " name TEXT, value INTEGER, reason TEXT,"
    " PRIMARY KEY(member, at, seq)) WITHOUT ROWID;"
    "CREATE TABLE fact_ids(id TEXT PRIMARY KEY) WITHOUT ROWID;"
    "CREATE TABLE deletions("
    " record TEXT PRIMARY KEY, member TEXT NOT NULL REFERENCES members(id),"
    " at INTEGER NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE policies("
    " version TEXT PRIMARY KEY, purposes TEXT NOT NULL, published_at INTEGER NOT NULL,"
    " effective_at INTEGER NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO meta(key, value) VALUES('seq', 0);",
    /* 1 -> 2: lineage of datasets and training runs */
    "CREATE TABLE lineage("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, purpose TEXT, policy_version TEXT,"
    " parent TEXT, location TEXT, digest TEXT, as_of INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL, records INTEGER NOT NULL, members INTEGER NOT NULL,"
    " tokens INTEGER NOT NULL, details TEXT);"
    "CREATE TABLE lineage_members("
    " lineage TEXT NOT NULL REFERENCES lineage(id), member TEXT NOT NULL,"
    " records INTEGER NOT NULL, PRIMARY KEY(lineage, member)) WITHOUT ROWID;"
    "CREATE INDEX lineage_members_by_member ON lineage_members(member, lineage);",
    /* 2 -> 3: member sign-in tokens, hashes only */
    "CREATE TABLE member_tokens("
    " hash BLOB PRIMARY KEY, member TEXT NOT NULL REFERENCES members(id),"
    " created_at INTEGER NOT NULL, revoked_at INTEGER) WITHOUT ROWID;"
    "CREATE INDEX member_tokens_by_member ON member_tokens(member);",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int cs__schema_latest(void) { return N_MIGRATIONS; }

static int exec(sqlite3 *db, const char *path, const char *sql, cs_diag_t *diag) {
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) return CS_OK;
  return cs_diag_set(diag, CS_EDB, "%s: schema: %s", path, sqlite3_errmsg(db));
}

/* The stored version, 0 for a fresh file. */
static int read_version(sqlite3 *db, const char *path, int *out, cs_diag_t *diag) {
  sqlite3_stmt *st = NULL;
  const char *sql = "SELECT value FROM meta WHERE key = 'schema_version'";
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return cs_diag_set(diag, CS_EDB, "%s: schema: %s", path, sqlite3_errmsg(db));
  int rc = sqlite3_step(st), err = CS_OK;
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int(st, 0);
  else if (rc == SQLITE_DONE)
    *out = 0;
  else
    err = cs_diag_set(diag, CS_EDB, "%s: schema: %s", path, sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return err;
}

static int write_version(sqlite3 *db, const char *path, int v, cs_diag_t *diag) {
  sqlite3_stmt *st = NULL;
  const char *sql = "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?1)";
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(st, 1, v);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  int err = rc == SQLITE_DONE ? CS_OK
                              : cs_diag_set(diag, CS_EDB, "%s: schema: %s", path, sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return err;
}

static int migrate_locked(sqlite3 *db, const char *path, int *out_version, cs_diag_t *diag) {
  int v = 0;
  int rc = exec(db, path,
                "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY,"
                " value INTEGER NOT NULL) WITHOUT ROWID",
                diag);
  if (rc == CS_OK) rc = read_version(db, path, &v, diag);
  if (rc < 0) return rc;
  if (v > N_MIGRATIONS)
    return cs_diag_set(diag, CS_ESCHEMA,
                       "%s: ledger schema version %d is newer than this consentry knows (%d);"
                       " upgrade consentry",
                       path, v, N_MIGRATIONS);
  for (int i = v; i < N_MIGRATIONS && rc == CS_OK; i++) rc = exec(db, path, migrations[i], diag);
  if (rc == CS_OK && v != N_MIGRATIONS) rc = write_version(db, path, N_MIGRATIONS, diag);
  if (rc == CS_OK) *out_version = N_MIGRATIONS;
  return rc;
}

int cs__schema_migrate(sqlite3 *db, const char *path, int *out_version, cs_diag_t *diag) {
  int rc = exec(db, path, "BEGIN IMMEDIATE", diag);
  if (rc < 0) return rc;
  rc = migrate_locked(db, path, out_version, diag);
  if (rc == CS_OK) rc = exec(db, path, "COMMIT", diag);
  if (rc < 0) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}
