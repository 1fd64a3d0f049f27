/* sqlite_write.c — appending facts to the SQLite ledger.
 *
 * Every put first claims the fact's key (member id, record id, version or
 * fact id) with an INSERT OR IGNORE; a key already present means the fact is
 * known and the put is a no-op. A member fact without an id is known when an
 * identical one (member, at, type, payload) is stored, so replaying a file
 * is a no-op even when its facts carry no ids. Seqs are handed out from the in-memory counter loaded at begin and
 * written back at commit, and only for facts actually inserted, so seq order
 * is ingest order with no gaps caused by duplicates.
 *
 * If a later step of a put fails, the key row it claimed is deleted again so
 * the failed call leaves the transaction as it found it. A fact about a
 * member the ledger does not have fails the foreign key: CS_ENOTFOUND.
 */

#include "ledger/sqlite_impl.h"

static void bind_text(sqlite3_stmt *st, int i, const char *s) {
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, i);
}

static void bind_country(sqlite3_stmt *st, int i, cs_country_t c) {
  char code[3];
  cs_country_str(c, code);
  if (c == CS_COUNTRY_NONE)
    sqlite3_bind_null(st, i);
  else
    sqlite3_bind_text(st, i, code, 2, SQLITE_TRANSIENT);
}

/* Steps a write statement to completion; *changed (if given) says whether a
 * row was written. Resets the statement and drops its bindings either way. */
static int run(cs_sqlite_t *q, cs_sqlite_stmt_t i, bool *changed, cs_diag_t *diag) {
  sqlite3_stmt *st = q->st[i];
  int rc = sqlite3_step(st);
  if (changed) *changed = rc == SQLITE_DONE && sqlite3_changes(q->db) > 0;
  int err = CS_OK;
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    err = CS_ENOTFOUND; /* cs__sqlite_put_fact names the member */
  else if (rc != SQLITE_DONE)
    err = cs__sqlite_fail(q, diag, "write");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return err;
}

/* Binds a member_facts row; ST_MFACT_FIND takes the same parameters, less
 * seq (?3) and fact_id (?5). */
static void bind_member_fact(sqlite3_stmt *st, const cs_fact_t *f, int64_t seq) {
  bind_text(st, 1, f->member);
  sqlite3_bind_int64(st, 2, f->at);
  sqlite3_bind_int64(st, 3, seq);
  sqlite3_bind_int(st, 4, f->type);
  bind_text(st, 5, f->fact_id);
  switch (f->type) {
  case CS_FACT_MEMBER: /* the rest of a member fact is in its members row */
    bind_country(st, 6, f->u.member.country);
    break;
  case CS_FACT_LOCATION:
    bind_country(st, 6, f->u.location.country);
    break;
  case CS_FACT_SETTING:
    bind_text(st, 7, f->u.setting.setting);
    sqlite3_bind_int(st, 8, f->u.setting.value);
    break;
  case CS_FACT_OBJECTION:
    bind_text(st, 7, f->u.objection.purpose);
    sqlite3_bind_int(st, 8, f->u.objection.withdrawn);
    bind_text(st, 9, f->u.objection.reason);
    break;
  default: /* account_closed has no payload */
    break;
  }
}

/* Is an identical fact (member, at, type, payload) already stored? */
static int find_same(cs_sqlite_t *q, const cs_fact_t *f, bool *out_found, cs_diag_t *diag) {
  sqlite3_stmt *st = q->st[ST_MFACT_FIND];
  bind_member_fact(st, f, 0);
  int rc = sqlite3_step(st);
  *out_found = rc == SQLITE_ROW;
  int err = rc == SQLITE_ROW || rc == SQLITE_DONE ? CS_OK : cs__sqlite_fail(q, diag, "read");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return err;
}

/* Claims the dedup key of a location/setting/objection/account_closed fact:
 * its id, or for a fact without one, the absence of an identical fact. */
static int claim_key(cs_sqlite_t *q, const cs_fact_t *f, bool *out_new, cs_diag_t *diag) {
  if (f->fact_id) {
    bind_text(q->st[ST_FACTID_INS], 1, f->fact_id);
    return run(q, ST_FACTID_INS, out_new, diag);
  }
  bool found = false;
  int rc = find_same(q, f, &found, diag);
  *out_new = !found;
  return rc;
}

static int put_member_fact(cs_sqlite_t *q, const cs_fact_t *f, bool *out_inserted,
                           cs_diag_t *diag) {
  int rc = claim_key(q, f, out_inserted, diag);
  if (rc < 0 || !*out_inserted) return rc;
  bind_member_fact(q->st[ST_MFACT_INS], f, q->seq + 1);
  rc = run(q, ST_MFACT_INS, NULL, diag);
  if (rc == CS_OK) {
    q->seq++;
    return CS_OK;
  }
  if (f->fact_id) { /* give the id back: the failed put changes nothing */
    bind_text(q->st[ST_FACTID_DEL], 1, f->fact_id);
    (void)run(q, ST_FACTID_DEL, NULL, NULL);
  }
  *out_inserted = false;
  return rc;
}

static int put_member(cs_sqlite_t *q, const cs_fact_t *f, bool *out_inserted, cs_diag_t *diag) {
  int64_t seq = q->seq + 1;
  sqlite3_stmt *st = q->st[ST_MEMBER_INS];
  bind_text(st, 1, f->member);
  sqlite3_bind_int64(st, 2, seq);
  bind_text(st, 3, f->u.member.name);
  bind_text(st, 4, f->u.member.handle);
  bind_text(st, 5, f->u.member.email);
  bind_country(st, 6, f->u.member.country);
  if (f->u.member.birth_days == CS_NO_DATE)
    sqlite3_bind_null(st, 7);
  else
    sqlite3_bind_int(st, 7, f->u.member.birth_days);
  sqlite3_bind_int64(st, 8, f->at);
  int rc = run(q, ST_MEMBER_INS, out_inserted, diag);
  if (rc < 0 || !*out_inserted) return rc;
  bind_member_fact(q->st[ST_MFACT_INS], f, seq);
  rc = run(q, ST_MFACT_INS, NULL, diag);
  if (rc == CS_OK) {
    q->seq = seq;
    return CS_OK;
  }
  bind_text(q->st[ST_MEMBER_DEL], 1, f->member);
  (void)run(q, ST_MEMBER_DEL, NULL, NULL);
  *out_inserted = false;
  return rc;
}

static int put_deletion(cs_sqlite_t *q, const cs_fact_t *f, bool *out_inserted,
                        cs_diag_t *diag) {
  sqlite3_stmt *st = q->st[ST_DEL_INS];
  bind_text(st, 1, f->u.deleted.record);
  bind_text(st, 2, f->member);
  sqlite3_bind_int64(st, 3, f->at);
  sqlite3_bind_int64(st, 4, q->seq + 1);
  int rc = run(q, ST_DEL_INS, out_inserted, diag);
  if (rc == CS_OK && *out_inserted) q->seq++;
  return rc;
}

static int put_policy(cs_sqlite_t *q, const cs_fact_t *f, bool *out_inserted, cs_diag_t *diag) {
  sqlite3_stmt *st = q->st[ST_POLICY_INS];
  bind_text(st, 1, f->u.policy.version);
  bind_text(st, 2, f->u.policy.purposes);
  sqlite3_bind_int64(st, 3, f->u.policy.published_at);
  sqlite3_bind_int64(st, 4, f->at);
  sqlite3_bind_int64(st, 5, q->seq + 1);
  int rc = run(q, ST_POLICY_INS, out_inserted, diag);
  if (rc == CS_OK && *out_inserted) q->seq++;
  return rc;
}

static bool has_strings(const cs_fact_t *f) {
  switch (f->type) {
  case CS_FACT_MEMBER:
    return f->member && f->u.member.name && f->u.member.handle && f->u.member.email;
  case CS_FACT_SETTING:
    return f->member && f->u.setting.setting;
  case CS_FACT_OBJECTION:
    return f->member && f->u.objection.purpose;
  case CS_FACT_POLICY:
    return f->u.policy.version && f->u.policy.purposes;
  case CS_FACT_CONTENT_DELETED:
    return f->member && f->u.deleted.record;
  default:
    return f->member != NULL;
  }
}

int cs__sqlite_put_fact(cs_store_t *s, const cs_fact_t *f, bool *out_inserted, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  if (!has_strings(f))
    return cs_diag_set(diag, CS_EINVAL, "store: %s fact with a missing field",
                       cs_fact_type_name(f->type) ? cs_fact_type_name(f->type) : "unknown");
  int rc;
  switch (f->type) {
  case CS_FACT_MEMBER:
    rc = put_member(q, f, out_inserted, diag);
    break;
  case CS_FACT_LOCATION:
  case CS_FACT_SETTING:
  case CS_FACT_OBJECTION:
  case CS_FACT_ACCOUNT_CLOSED:
    rc = put_member_fact(q, f, out_inserted, diag);
    break;
  case CS_FACT_CONTENT_DELETED:
    rc = put_deletion(q, f, out_inserted, diag);
    break;
  case CS_FACT_POLICY:
    rc = put_policy(q, f, out_inserted, diag);
    break;
  default:
    return cs_diag_set(diag, CS_EINVAL, "store: unknown fact type %d", (int)f->type);
  }
  if (rc == CS_ENOTFOUND)
    return cs_diag_set(diag, rc, "member: no member \"%.200s\" in the ledger", f->member);
  return rc;
}
