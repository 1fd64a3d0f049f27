/* Specification of the ledger store (store.h) on its SQLite backend:
 * opening and migrating, transactions, dedup keys of every fact type, and the
 * as-of scans the eligibility snapshot is built from. */
#include <sqlite3.h>

#include "ledger_fixture.h"

static cs_fact_t member(const char *id, const char *country, const char *joined) {
  cs_fact_t f = {.type = CS_FACT_MEMBER, .member = id, .at = fix_t(joined)};
  f.u.member.name = "Ada Example";
  f.u.member.handle = "ada";
  f.u.member.email = "ada@example.com";
  CHECK_INT(cs_country_parse(country, 2, &f.u.member.country), CS_OK);
  f.u.member.birth_days = CS_NO_DATE;
  return f;
}

static cs_fact_t location(const char *id, const char *m, const char *country, const char *at) {
  cs_fact_t f = {.type = CS_FACT_LOCATION, .fact_id = id, .member = m, .at = fix_t(at)};
  CHECK_INT(cs_country_parse(country, 2, &f.u.location.country), CS_OK);
  return f;
}

static cs_fact_t setting(const char *m, bool value, const char *at) {
  cs_fact_t f = {.type = CS_FACT_SETTING, .member = m, .at = fix_t(at)};
  f.u.setting.setting = "genai_training";
  f.u.setting.value = value;
  return f;
}

static bool put(cs_store_t *s, const cs_fact_t *f) {
  bool inserted = false;
  cs_diag_t d = {""};
  CHECK_INT(cs_store_put_fact(s, f, &inserted, &d), CS_OK);
  CHECK_STR(d.msg, "");
  return inserted;
}

static void begin(cs_store_t *s) {
  cs_diag_t d = {""};
  CHECK_INT(cs_store_begin(s, &d), CS_OK);
}

static void commit(cs_store_t *s) {
  cs_diag_t d = {""};
  CHECK_INT(cs_store_commit(s, &d), CS_OK);
}

static void test_open_creates_and_reopens_at_the_current_version(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  CHECK_INT(cs_store_schema_version(s), 3);
  cs_store_close(s);
  cs_diag_t d = {""};
  CHECK_INT(cs_store_open(path, &s, &d), CS_OK);
  CHECK_INT(cs_store_schema_version(s), 3);
  fix_close(s, path);
}

/* A version-1 ledger (before lineage and tokens) is migrated on open, its facts kept. */
static void test_a_version_1_ledger_is_migrated_to_2(void) {
  char path[FIX_PATH_MAX], buf[128];
  cs_store_t *s = fix_open(path);
  cs_fact_t m = member("m1", "US", "2024-01-01T00:00:00Z");
  cs_diag_t d = {""};
  CHECK_INT(cs_store_begin(s, &d), CS_OK);
  CHECK_INT(cs_store_put_fact(s, &m, NULL, &d), CS_OK);
  CHECK_INT(cs_store_commit(s, &d), CS_OK);
  cs_store_close(s);
  sqlite3 *db = NULL;
  CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
  CHECK_INT(sqlite3_exec(db,
                         "DROP TABLE member_tokens; DROP TABLE lineage_members; DROP TABLE lineage;"
                         "UPDATE meta SET value = 1 WHERE key = 'schema_version'",
                         NULL, NULL, NULL),
            SQLITE_OK);
  sqlite3_close(db);
  CHECK_INT(cs_store_open(path, &s, &d), CS_OK);
  CHECK_INT(cs_store_schema_version(s), 3);
  CHECK_STR(fix_counts_str(s, buf), "1 0 0 0 0 0 0");
  cs_lineage_t l = {.id = "ds1", .kind = "dataset"};
  CHECK_INT(cs_store_begin(s, &d), CS_OK);
  CHECK_INT(cs_store_put_lineage(s, &l, NULL, 0, &d), CS_OK);
  CHECK_INT(cs_store_commit(s, &d), CS_OK);
  fix_close(s, path);
}

static void test_a_newer_schema_is_refused(void) {
  char path[FIX_PATH_MAX], want[FIX_PATH_MAX + 128];
  cs_store_close(fix_open(path));
  sqlite3 *db = NULL;
  CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
  CHECK_INT(sqlite3_exec(db, "UPDATE meta SET value = 99 WHERE key = 'schema_version'", NULL,
                         NULL, NULL),
            SQLITE_OK);
  sqlite3_close(db);
  cs_store_t *s = NULL;
  cs_diag_t d = {""};
  CHECK_INT(cs_store_open(path, &s, &d), CS_ESCHEMA);
  CHECK(s == NULL);
  snprintf(want, sizeof want,
           "%s: ledger schema version 99 is newer than this consentry knows (3);"
           " upgrade consentry",
           path);
  CHECK_STR(d.msg, want);
  fix_unlink_db(path);
}

static void test_postgres_uris_are_not_built_yet(void) {
  cs_store_t *s = NULL;
  cs_diag_t d = {""};
  CHECK_INT(cs_store_open("postgres://ledger.example/consentry", &s, &d), CS_EINVAL);
  CHECK_STR(d.msg, "postgres://ledger.example/consentry: PostgreSQL backend not built");
}

static void test_a_file_that_is_not_a_ledger_is_a_store_error(void) {
  char path[FIX_PATH_MAX];
  fix_file(path, "this is not a database, just some text that is long enough to matter\n");
  cs_store_t *s = NULL;
  cs_diag_t d = {""};
  CHECK_INT(cs_store_open(path, &s, &d), CS_EDB);
  CHECK(strstr(d.msg, "file is not a database") != NULL);
  fix_unlink_db(path);
}

static void test_writes_need_a_transaction(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  cs_fact_t m = member("m1", "US", "2024-01-01T00:00:00Z");
  cs_diag_t d = {""};
  CHECK_INT(cs_store_put_fact(s, &m, NULL, &d), CS_EINTERNAL);
  CHECK_STR(d.msg, "store: write outside a transaction");
  fix_close(s, path);
}

static void test_rollback_discards_and_commit_persists(void) {
  char path[FIX_PATH_MAX], buf[128];
  cs_store_t *s = fix_open(path);
  cs_fact_t m1 = member("m1", "US", "2024-01-01T00:00:00Z");
  cs_fact_t m2 = member("m2", "DE", "2024-01-01T00:00:00Z");
  begin(s);
  CHECK(put(s, &m1));
  cs_store_rollback(s);
  CHECK_STR(fix_counts_str(s, buf), "0 0 0 0 0 0 0");
  begin(s);
  CHECK(put(s, &m2));
  commit(s);
  cs_store_close(s);
  cs_diag_t d = {""};
  CHECK_INT(cs_store_open(path, &s, &d), CS_OK);
  CHECK_STR(fix_counts_str(s, buf), "1 0 0 0 0 0 0");
  fix_close(s, path);
}

static void test_every_fact_type_is_deduplicated_by_its_key(void) {
  char path[FIX_PATH_MAX], buf[128];
  cs_store_t *s = fix_open(path);
  cs_fact_t m = member("m1", "US", "2024-01-01T00:00:00Z");
  cs_fact_t l1 = location("loc-1", "m1", "FR", "2024-02-01T00:00:00Z");
  cs_fact_t l1_again = location("loc-1", "m1", "DE", "2024-03-01T00:00:00Z"); /* same id */
  cs_fact_t l_noid = location(NULL, "m1", "GB", "2024-04-01T00:00:00Z");
  cs_fact_t l_noid_other = location(NULL, "m1", "GB", "2024-04-02T00:00:00Z");
  cs_fact_t st = setting("m1", false, "2024-05-01T00:00:00Z");
  cs_fact_t st_other = setting("m1", true, "2024-05-01T00:00:00Z"); /* differs in value */
  cs_fact_t ob = {.type = CS_FACT_OBJECTION, .member = "m1", .at = fix_t("2024-06-01T00:00:00Z")};
  ob.u.objection.purpose = "personalization";
  ob.u.objection.reason = "I prefer a chronological feed";
  cs_fact_t closed = {.type = CS_FACT_ACCOUNT_CLOSED, .member = "m1",
                      .at = fix_t("2024-08-01T00:00:00Z")};
  cs_fact_t del = {.type = CS_FACT_CONTENT_DELETED, .member = "m1",
                   .at = fix_t("2024-07-01T00:00:00Z")};
  del.u.deleted.record = "post-1";
  cs_fact_t pol = {.type = CS_FACT_POLICY, .at = fix_t("2024-03-01T00:00:00Z")};
  pol.u.policy.version = "2024-01";
  pol.u.policy.purposes = "genai_training";
  pol.u.policy.published_at = fix_t("2024-01-01T00:00:00Z");
  const cs_fact_t *all[] = {&m, &l1, &l_noid, &st, &ob, &closed, &del, &pol};
  begin(s);
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) CHECK(put(s, all[i]));
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) CHECK(!put(s, all[i]));
  CHECK(!put(s, &l1_again));
  CHECK(put(s, &l_noid_other));
  CHECK(put(s, &st_other));
  commit(s);
  CHECK_STR(fix_counts_str(s, buf), "1 3 2 1 1 1 1");
  fix_close(s, path);
}

static void test_a_fact_about_an_unknown_member_cannot_be_stored(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  cs_fact_t l = location(NULL, "ghost", "FR", "2024-02-01T00:00:00Z");
  cs_diag_t d = {""};
  begin(s);
  bool inserted = true;
  CHECK_INT(cs_store_put_fact(s, &l, &inserted, &d), CS_ENOTFOUND);
  CHECK_STR(d.msg, "member: no member \"ghost\" in the ledger");
  CHECK(inserted); /* a failed call leaves its outputs alone */
  cs_store_rollback(s);
  fix_close(s, path);
}

/* Records each scanned fact as "member type at-day seq" lines. */
typedef struct {
  char out[1024];
  size_t len;
  int stop_after;
} trace_t;

static int trace(void *ctx, const cs_fact_t *f) {
  trace_t *t = ctx;
  char when[CS_TIME_STR_MAX];
  cs_time_format(f->at, when);
  int n = snprintf(t->out + t->len, sizeof t->out - t->len, "%s %s %.10s %lld\n", f->member,
                   cs_fact_type_name(f->type), when, (long long)f->seq);
  if (n > 0) t->len += (size_t)n;
  return --t->stop_after == 0 ? 7 : 0;
}

static void put_scan_fixture(cs_store_t *s) {
  cs_fact_t b = member("b", "US", "2024-01-01T00:00:00Z");
  cs_fact_t a = member("a", "FR", "2024-03-01T00:00:00Z");
  cs_fact_t b_late = location(NULL, "b", "CA", "2024-06-01T00:00:00Z");
  cs_fact_t b_early = location(NULL, "b", "MX", "2024-02-01T00:00:00Z");
  cs_fact_t a_set = setting("a", true, "2024-03-01T00:00:00Z"); /* same time as joining */
  cs_fact_t b_set = setting("b", false, "2024-02-01T00:00:00Z"); /* same time as b_early */
  const cs_fact_t *order[] = {&b, &a, &b_late, &b_early, &a_set, &b_set};
  begin(s);
  for (size_t i = 0; i < 6; i++) CHECK(put(s, order[i]));
  commit(s);
}

static void test_member_facts_arrive_by_member_then_time_then_seq(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  put_scan_fixture(s);
  trace_t t = {.stop_after = -1};
  cs_diag_t d = {""};
  CHECK_INT(cs_store_each_member_fact(s, NULL, CS_TIME_NEVER, trace, &t, &d), CS_OK);
  CHECK_STR(t.out,
            "a member 2024-03-01 2\n"
            "a setting 2024-03-01 5\n"
            "b member 2024-01-01 1\n"
            "b location 2024-02-01 4\n"
            "b setting 2024-02-01 6\n"
            "b location 2024-06-01 3\n");
  fix_close(s, path);
}

static void test_as_of_includes_a_fact_at_exactly_T_and_nothing_later(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  put_scan_fixture(s);
  trace_t t = {.stop_after = -1};
  cs_diag_t d = {""};
  /* a joined 2024-03-01, after T: not even its member fact shows. */
  CHECK_INT(cs_store_each_member_fact(s, NULL, fix_t("2024-02-01T00:00:00Z"), trace, &t, &d),
            CS_OK);
  CHECK_STR(t.out,
            "b member 2024-01-01 1\n"
            "b location 2024-02-01 4\n"
            "b setting 2024-02-01 6\n");
  trace_t one = {.stop_after = -1};
  CHECK_INT(cs_store_each_member_fact(s, "a", CS_TIME_NEVER, trace, &one, &d), CS_OK);
  CHECK_STR(one.out, "a member 2024-03-01 2\na setting 2024-03-01 5\n");
  fix_close(s, path);
}

static void test_a_callback_can_stop_a_scan(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  put_scan_fixture(s);
  trace_t t = {.stop_after = 2};
  cs_diag_t d = {""};
  CHECK_INT(cs_store_each_member_fact(s, NULL, CS_TIME_NEVER, trace, &t, &d), 7);
  CHECK_STR(t.out, "a member 2024-03-01 2\na setting 2024-03-01 5\n");
  /* The statement was reset: a new scan starts from the beginning. */
  trace_t again = {.stop_after = 1};
  CHECK_INT(cs_store_each_member_fact(s, NULL, CS_TIME_NEVER, trace, &again, &d), 7);
  CHECK_STR(again.out, "a member 2024-03-01 2\n");
  fix_close(s, path);
}

static int copy_member(void *ctx, const cs_fact_t *f) {
  char *out = ctx;
  char c[3];
  cs_country_str(f->u.member.country, c);
  snprintf(out, 256, "%s|%s|%s|%s|%s|%d", f->member, f->u.member.name, f->u.member.handle,
           f->u.member.email, c, (int)f->u.member.birth_days);
  return 0;
}

static void test_get_member_returns_the_member_fact(void) {
  char path[FIX_PATH_MAX], got[256] = "";
  cs_store_t *s = fix_open(path);
  cs_fact_t m = member("m1", "BR", "2024-01-01T00:00:00Z");
  m.u.member.birth_days = cs_days_from_civil(2000, 2, 29);
  begin(s);
  CHECK(put(s, &m));
  commit(s);
  cs_diag_t d = {""};
  CHECK_INT(cs_store_get_member(s, "m1", copy_member, got, &d), CS_OK);
  char want[256];
  snprintf(want, sizeof want, "m1|Ada Example|ada|ada@example.com|BR|%d",
           (int)cs_days_from_civil(2000, 2, 29));
  CHECK_STR(got, want);
  CHECK_INT(cs_store_get_member(s, "m2", copy_member, got, &d), CS_ENOTFOUND);
  CHECK_STR(d.msg, "member: no member \"m2\" in the ledger");
  fix_close(s, path);
}

static int trace_policy(void *ctx, const cs_fact_t *f) {
  trace_t *t = ctx;
  int n = snprintf(t->out + t->len, sizeof t->out - t->len, "%s:%s ",
                   f->type == CS_FACT_POLICY ? f->u.policy.version : f->u.deleted.record,
                   f->type == CS_FACT_POLICY ? f->u.policy.purposes : f->member);
  if (n > 0) t->len += (size_t)n;
  return 0;
}

static void test_policies_by_effective_time_and_deletions_as_of(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  cs_fact_t m = member("m1", "US", "2024-01-01T00:00:00Z");
  cs_fact_t p2 = {.type = CS_FACT_POLICY, .at = fix_t("2024-09-01T00:00:00Z")};
  p2.u.policy.version = "v2";
  p2.u.policy.purposes = "genai_training,moderation";
  cs_fact_t p1 = p2;
  p1.at = fix_t("2024-05-01T00:00:00Z");
  p1.u.policy.version = "v1";
  p1.u.policy.purposes = "moderation";
  cs_fact_t d1 = {.type = CS_FACT_CONTENT_DELETED, .member = "m1",
                  .at = fix_t("2024-04-01T00:00:00Z")};
  d1.u.deleted.record = "r1";
  cs_fact_t d2 = d1;
  d2.at = fix_t("2024-04-02T00:00:00Z");
  d2.u.deleted.record = "r2";
  const cs_fact_t *all[] = {&m, &p2, &p1, &d1, &d2};
  begin(s);
  for (size_t i = 0; i < 5; i++) CHECK(put(s, all[i]));
  commit(s);
  trace_t t = {.stop_after = -1}, del = {.stop_after = -1};
  cs_diag_t d = {""};
  CHECK_INT(cs_store_each_policy(s, trace_policy, &t, &d), CS_OK);
  CHECK_STR(t.out, "v1:moderation v2:genai_training,moderation ");
  CHECK_INT(cs_store_each_deletion(s, fix_t("2024-04-01T00:00:00Z"), trace_policy, &del, &d),
            CS_OK);
  CHECK_STR(del.out, "r1:m1 ");
  fix_close(s, path);
}

/* Two facts delete the same record: it is deleted from the earlier time,
 * whichever was ingested first, and replaying either changes nothing. */
static void test_a_record_is_deleted_from_its_earliest_deletion(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  cs_fact_t m = member("m1", "US", "2024-01-01T00:00:00Z");
  cs_fact_t late = {.type = CS_FACT_CONTENT_DELETED, .member = "m1",
                    .at = fix_t("2024-06-01T00:00:00Z")};
  late.u.deleted.record = "r1";
  cs_fact_t early = late;
  early.at = fix_t("2024-03-01T00:00:00Z");
  begin(s);
  CHECK(put(s, &m));
  CHECK(put(s, &late));
  CHECK(put(s, &early)); /* moves the deletion back */
  CHECK(!put(s, &late));
  CHECK(!put(s, &early));
  commit(s);
  trace_t t = {.stop_after = -1};
  cs_diag_t d = {""};
  CHECK_INT(cs_store_each_deletion(s, fix_t("2024-04-01T00:00:00Z"), trace_policy, &t, &d),
            CS_OK);
  CHECK_STR(t.out, "r1:m1 ");
  fix_close(s, path);
}

static void test_close_accepts_null(void) { cs_store_close(NULL); }

/* Tokens: stored by hash, found by hash, unknown member refused, revoked
 * ones no longer found; the last seq names the fact just written. */
static void test_tokens_by_hash_and_revocation(void) {
  char path[FIX_PATH_MAX], who[32];
  cs_store_t *s = fix_open(path);
  cs_diag_t d = {""};
  uint8_t h1[32], h2[32];
  memset(h1, 0xA1, sizeof h1);
  memset(h2, 0xB2, sizeof h2);
  cs_fact_t m = member("m1", "US", "2024-01-01T00:00:00Z");
  begin(s);
  CHECK(put(s, &m));
  CHECK_INT(cs_store_last_seq(s), 1);
  cs_fact_t st = setting("m1", false, "2024-02-01T00:00:00Z");
  CHECK(put(s, &st));
  CHECK_INT(cs_store_last_seq(s), 2);
  CHECK_INT(cs_store_token_put(s, h1, "m1", 5, &d), CS_OK);
  CHECK_INT(cs_store_token_put(s, h2, "ghost", 5, &d), CS_ENOTFOUND);
  CHECK_INT(cs_store_commit(s, &d), CS_OK);
  CHECK_INT(cs_store_token_lookup(s, h1, who, sizeof who, &d), CS_OK);
  CHECK_STR(who, "m1");
  CHECK_INT(cs_store_token_lookup(s, h2, who, sizeof who, &d), CS_ENOTFOUND);
  CHECK_INT(cs_store_token_lookup(s, h1, who, 2, &d), CS_ENOTFOUND); /* no room: not found */
  int64_t n = 0;
  CHECK_INT(cs_store_token_revoke(s, "m1", 9, &n, &d), CS_EINTERNAL); /* needs a transaction */
  begin(s);
  CHECK_INT(cs_store_token_revoke(s, "m1", 9, &n, &d), CS_OK);
  CHECK_INT(cs_store_commit(s, &d), CS_OK);
  CHECK_INT(n, 1);
  CHECK_INT(cs_store_token_lookup(s, h1, who, sizeof who, &d), CS_ENOTFOUND);
  fix_close(s, path);
}

static int count_fact(void *ctx, const cs_fact_t *f) {
  (void)f;
  ++*(int *)ctx;
  return 0;
}

/* With autocheckpoint off, commits leave the log to grow; a second
 * connection's checkpoint copies it back, and the data reads the same. */
static void test_a_writer_without_autocheckpoint_is_checkpointed_beside_it(void) {
  char path[FIX_PATH_MAX], wal[FIX_PATH_MAX + 8];
  cs_store_t *s = fix_open(path), *c = NULL;
  cs_diag_t d = {""};
  CHECK_INT(cs_store_set_autocheckpoint(s, false, &d), CS_OK);
  CHECK_INT(cs_store_open(path, &c, &d), CS_OK);
  begin(s);
  cs_fact_t m = member("m1", "US", "2024-01-01T00:00:00Z");
  CHECK(put(s, &m));
  CHECK_INT(cs_store_checkpoint(s, NULL, &d), CS_EINTERNAL); /* not inside a transaction */
  CHECK_INT(cs_store_commit(s, &d), CS_OK);
  for (int i = 0; i < 1500; i++) { /* past SQLite's 1000-page threshold */
    cs_fact_t st = setting("m1", i % 2, "2024-02-01T00:00:00Z");
    st.at += (cs_time_t)i * 1000000000;
    begin(s);
    CHECK(put(s, &st));
    CHECK_INT(cs_store_commit(s, &d), CS_OK);
  }
  snprintf(wal, sizeof wal, "%s-wal", path);
  FILE *f = fopen(wal, "rb");
  CHECK(f != NULL);
  if (f) {
    fseek(f, 0, SEEK_END);
    CHECK(ftell(f) > 1000L * 4096); /* nobody checkpointed inside a commit */
    fclose(f);
  }
  int64_t pages = 0;
  CHECK_INT(cs_store_checkpoint(c, &pages, &d), CS_OK);
  CHECK(pages > 1000);
  int n = 0;
  CHECK_INT(cs_store_each_member_fact(c, "m1", CS_TIME_NEVER, count_fact, &n, &d), CS_OK);
  CHECK_INT(n, 1501);
  cs_store_close(c);
  fix_close(s, path);
}

RUN_TESTS(test_a_writer_without_autocheckpoint_is_checkpointed_beside_it,
          test_tokens_by_hash_and_revocation, test_open_creates_and_reopens_at_the_current_version,
          test_a_version_1_ledger_is_migrated_to_2, test_a_newer_schema_is_refused,
          test_postgres_uris_are_not_built_yet, test_a_file_that_is_not_a_ledger_is_a_store_error,
          test_writes_need_a_transaction, test_rollback_discards_and_commit_persists,
          test_every_fact_type_is_deduplicated_by_its_key,
          test_a_fact_about_an_unknown_member_cannot_be_stored,
          test_member_facts_arrive_by_member_then_time_then_seq,
          test_as_of_includes_a_fact_at_exactly_T_and_nothing_later,
          test_a_callback_can_stop_a_scan, test_get_member_returns_the_member_fact,
          test_policies_by_effective_time_and_deletions_as_of,
          test_a_record_is_deleted_from_its_earliest_deletion, test_close_accepts_null)
