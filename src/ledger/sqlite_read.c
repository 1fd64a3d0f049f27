/* sqlite_read.c — scanning the SQLite ledger.
 *
 * Rows become borrowed cs_fact_t views whose strings point into SQLite's
 * column buffers: valid until the next step, which is exactly the lifetime
 * store.h promises the callback. Every scan resets its statement on the way
 * out, whether it finished, failed or was stopped by the callback.
 */
#include "ledger/sqlite_impl.h"

static const char *col_text(sqlite3_stmt *st, int i) {
  return (const char *)sqlite3_column_text(st, i);
}

static cs_country_t col_country(sqlite3_stmt *st, int i) {
  cs_country_t c = CS_COUNTRY_NONE;
  const char *s = col_text(st, i);
  if (s && cs_country_parse(s, (size_t)sqlite3_column_bytes(st, i), &c) < 0) c = CS_COUNTRY_NONE;
  return c;
}

static int32_t col_date(sqlite3_stmt *st, int i) {
  return sqlite3_column_type(st, i) == SQLITE_NULL ? CS_NO_DATE : sqlite3_column_int(st, i);
}

/* Steps st, handing each row to cb through to_fact; resets st. */
static int scan(cs_sqlite_t *q, sqlite3_stmt *st, void (*to_fact)(sqlite3_stmt *, cs_fact_t *),
                cs_fact_cb cb, void *ctx, cs_diag_t *diag) {
  int rc, ret = CS_OK;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    cs_fact_t f = {0};
    to_fact(st, &f);
    if ((ret = cb(ctx, &f)) != 0) break;
  }
  if (ret == CS_OK && rc != SQLITE_DONE) ret = cs__sqlite_fail(q, diag, "read");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return ret;
}

/* Columns of ST_MEMBER_GET: id, seq, name, handle, email, country,
 * birth_days, joined_at. */
static void member_row(sqlite3_stmt *st, cs_fact_t *f) {
  f->type = CS_FACT_MEMBER;
  f->member = col_text(st, 0);
  f->seq = sqlite3_column_int64(st, 1);
  f->u.member.name = col_text(st, 2);
  f->u.member.handle = col_text(st, 3);
  f->u.member.email = col_text(st, 4);
  f->u.member.country = col_country(st, 5);
  f->u.member.birth_days = col_date(st, 6);
  f->at = sqlite3_column_int64(st, 7);
}

/* Columns of the member-fact scans: member, at, seq, type, fact_id, country,
 * name, value, reason, then the members row for type 1: name, handle, email,
 * birth_days. */
static void member_fact_row(sqlite3_stmt *st, cs_fact_t *f) {
  f->member = col_text(st, 0);
  f->at = sqlite3_column_int64(st, 1);
  f->seq = sqlite3_column_int64(st, 2);
  f->type = (cs_fact_type_t)sqlite3_column_int(st, 3);
  f->fact_id = col_text(st, 4);
  bool value = sqlite3_column_int(st, 7) != 0;
  switch (f->type) {
  case CS_FACT_MEMBER:
    f->u.member.country = col_country(st, 5);
    f->u.member.name = col_text(st, 9);
    f->u.member.handle = col_text(st, 10);
    f->u.member.email = col_text(st, 11);
    f->u.member.birth_days = col_date(st, 12);
    break;
  case CS_FACT_LOCATION:
    f->u.location.country = col_country(st, 5);
    break;
  case CS_FACT_SETTING:
    f->u.setting.setting = col_text(st, 6);
    f->u.setting.value = value;
    break;
  case CS_FACT_OBJECTION:
    f->u.objection.purpose = col_text(st, 6);
    f->u.objection.withdrawn = value;
    f->u.objection.reason = col_text(st, 8);
    break;
  default:
    break;
  }
}

static void deletion_row(sqlite3_stmt *st, cs_fact_t *f) {
  f->type = CS_FACT_CONTENT_DELETED;
  f->u.deleted.record = col_text(st, 0);
  f->member = col_text(st, 1);
  f->at = sqlite3_column_int64(st, 2);
  f->seq = sqlite3_column_int64(st, 3);
}

static void policy_row(sqlite3_stmt *st, cs_fact_t *f) {
  f->type = CS_FACT_POLICY;
  f->u.policy.version = col_text(st, 0);
  f->u.policy.purposes = col_text(st, 1);
  f->u.policy.published_at = sqlite3_column_int64(st, 2);
  f->at = sqlite3_column_int64(st, 3);
  f->seq = sqlite3_column_int64(st, 4);
}

struct found {
  cs_fact_cb cb;
  void *ctx;
  bool any;
};

static int found_cb(void *ctx, const cs_fact_t *f) {
  struct found *fd = ctx;
  fd->any = true;
  return fd->cb(fd->ctx, f);
}

int cs__sqlite_get_member(cs_store_t *s, const char *id, cs_fact_cb cb, void *ctx,
                          cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st = q->st[ST_MEMBER_GET];
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  struct found fd = {cb, ctx, false};
  int rc = scan(q, st, member_row, found_cb, &fd, diag);
  if (rc == CS_OK && !fd.any)
    return cs_diag_set(diag, CS_ENOTFOUND, "member: no member \"%.200s\" in the ledger", id);
  return rc;
}

int cs__sqlite_each_member_fact(cs_store_t *s, const char *member, cs_time_t as_of,
                                cs_fact_cb cb, void *ctx, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st = q->st[member ? ST_SCAN_ONE : ST_SCAN_ALL];
  sqlite3_bind_int64(st, 1, as_of);
  if (member) sqlite3_bind_text(st, 2, member, -1, SQLITE_STATIC);
  return scan(q, st, member_fact_row, cb, ctx, diag);
}

int cs__sqlite_each_deletion(cs_store_t *s, cs_time_t as_of, cs_fact_cb cb, void *ctx,
                             cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st = q->st[ST_DELETIONS];
  sqlite3_bind_int64(st, 1, as_of);
  return scan(q, st, deletion_row, cb, ctx, diag);
}

int cs__sqlite_each_policy(cs_store_t *s, cs_fact_cb cb, void *ctx, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  return scan(q, q->st[ST_POLICIES], policy_row, cb, ctx, diag);
}

int cs__sqlite_counts(cs_store_t *s, cs_store_counts_t *out, cs_diag_t *diag) {
  cs_sqlite_t *q = cs__sqlite(s);
  sqlite3_stmt *st = q->st[ST_COUNTS];
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t n = sqlite3_column_int64(st, 1);
    switch (sqlite3_column_int(st, 0)) {
    case CS_FACT_MEMBER: out->members = n; break;
    case CS_FACT_LOCATION: out->locations = n; break;
    case CS_FACT_SETTING: out->settings = n; break;
    case CS_FACT_OBJECTION: out->objections = n; break;
    case CS_FACT_POLICY: out->policies = n; break;
    case CS_FACT_CONTENT_DELETED: out->deletions = n; break;
    case CS_FACT_ACCOUNT_CLOSED: out->closures = n; break;
    default: break;
    }
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? CS_OK : cs__sqlite_fail(q, diag, "count");
}
