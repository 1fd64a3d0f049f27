/* sqlite_token.c — member sign-in tokens in the SQLite ledger.
 *
 * Only the SHA-256 of a token is stored (member_tokens.hash, the primary
 * key). A lookup finds the row by its hash and then compares the stored hash
 * with the one asked for in constant time (sodium_memcmp), so the answer
 * does not depend on how many leading bytes matched in a string compare.
 */
#include <string.h>

#include <sodium.h>

#include "ledger/sqlite_impl.h"

int64_t cs__sqlite_last_seq(cs_store_t *s) { return cs__sqlite(s)->seq; }

int cs__sqlite_token_put(cs_store_t *s, const uint8_t hash[32], const char *member,
                         cs_time_t created, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st = q->st[ST_TOKEN_INS];
  sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, member, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, created);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return cs_diag_set(diag, CS_ENOTFOUND, "member: no member \"%.200s\" in the ledger", member);
  return rc == SQLITE_DONE ? CS_OK : cs__sqlite_fail(q, diag, "token");
}

int cs__sqlite_token_lookup(cs_store_t *s, const uint8_t hash[32], char *out_member, size_t cap,
                            cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st = q->st[ST_TOKEN_GET];
  sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
  int rc = sqlite3_step(st), err = CS_ENOTFOUND;
  if (rc == SQLITE_ROW) {
    const void *h = sqlite3_column_blob(st, 0);
    const char *m = (const char *)sqlite3_column_text(st, 1);
    size_t n = m ? (size_t)sqlite3_column_bytes(st, 1) : 0;
    if (h && sqlite3_column_bytes(st, 0) == 32 && sodium_memcmp(h, hash, 32) == 0 && m && n < cap) {
      memcpy(out_member, m, n + 1);
      err = CS_OK;
    }
  } else if (rc != SQLITE_DONE) {
    err = cs__sqlite_fail(q, diag, "token");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (err == CS_ENOTFOUND) cs_diag_set(diag, err, "token: unknown or revoked");
  return err;
}

int cs__sqlite_token_revoke(cs_store_t *s, const char *member, cs_time_t at, int64_t *out_n,
                            cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st = q->st[ST_TOKEN_REVOKE];
  sqlite3_bind_text(st, 1, member, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, at);
  int rc = sqlite3_step(st);
  *out_n = rc == SQLITE_DONE ? sqlite3_changes(q->db) : 0;
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? CS_OK : cs__sqlite_fail(q, diag, "token");
}
