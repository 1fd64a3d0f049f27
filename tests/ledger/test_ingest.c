/* Specification of `ledger ingest` (cs_ledger_ingest): every fact type
 * loads, replaying a file is a no-op, and every kind of bad line is rejected
 * with "FILE:LINE: field: what was expected" while the ledger stays as it
 * was once the caller rolls back. */
#include "ledger_fixture.h"

#define M1 \
  "{\"type\":\"member\",\"id\":\"m1\",\"name\":\"Ada Lovelace\",\"handle\":\"ada\"," \
  "\"email\":\"ada@example.com\",\"country\":\"US\",\"joined_at\":\"2024-01-01T00:00:00Z\"}\n"

static const char *const good_file =
    M1
    "\n"
    "{\"type\":\"member\",\"id\":\"m2\",\"name\":\"Bo\",\"handle\":\"bo\",\"email\":\"bo@example.de\","
    "\"country\":\"DE\",\"birth_date\":\"2008-02-29\",\"joined_at\":\"2024-05-01T12:00:00+02:00\","
    "\"plan\":\"premium\"}\n"
    "{\"type\":\"location\",\"member\":\"m1\",\"country\":\"CA\",\"at\":\"2024-02-01T00:00:00Z\"}\n"
    "{\"type\":\"setting\",\"id\":\"s-1\",\"member\":\"m1\",\"setting\":\"genai_training\","
    "\"value\":false,\"at\":\"2024-03-01T00:00:00Z\"}\n"
    "{\"type\":\"objection\",\"member\":\"m2\",\"purpose\":\"personalization\","
    "\"at\":\"2024-06-01T00:00:00Z\",\"reason\":\"chronological feed, please\"}\n"
    "{\"type\":\"objection\",\"member\":\"m2\",\"purpose\":\"personalization\","
    "\"at\":\"2024-07-01T00:00:00Z\",\"withdrawn\":true}\n"
    "{\"type\":\"policy\",\"version\":\"2024-01\",\"purposes\":[\"genai_training\",\"moderation\"],"
    "\"published_at\":\"2024-01-01T00:00:00Z\",\"effective_at\":\"2024-01-31T00:00:00Z\"}\n"
    "{\"type\":\"content_deleted\",\"id\":\"post-7\",\"member\":\"m1\",\"at\":\"2024-04-01T00:00:00Z\"}\n"
    "   \r\n"
    "{\"type\":\"account_closed\",\"id\":\"c-1\",\"member\":\"m2\",\"at\":\"2024-12-01T00:00:00Z\"}\n";

static int ingest(cs_store_t *s, const char *path, cs_ingest_stats_t *st, cs_diag_t *d) {
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  CHECK_INT(cs_store_begin(s, d), CS_OK);
  int rc = cs_ledger_ingest(s, cfg, path, st, d);
  if (rc == CS_OK)
    rc = cs_store_commit(s, d);
  else
    cs_store_rollback(s);
  cs_config_free(cfg);
  return rc;
}

static void test_every_fact_type_loads(void) {
  char db[FIX_PATH_MAX], file[FIX_PATH_MAX], buf[128];
  cs_store_t *s = fix_open(db);
  fix_file(file, good_file);
  cs_ingest_stats_t st = {0};
  cs_diag_t d = {""};
  CHECK_INT(ingest(s, file, &st, &d), CS_OK);
  CHECK_STR(d.msg, "");
  CHECK_INT(st.lines, 9); /* two blank lines are not counted */
  CHECK_INT(st.inserted, 9);
  CHECK_INT(st.skipped, 0);
  CHECK_STR(fix_counts_str(s, buf), "2 1 1 2 1 1 1");
  fix_close(s, db);
  unlink(file);
}

static void test_replaying_a_file_skips_everything(void) {
  char db[FIX_PATH_MAX], file[FIX_PATH_MAX], buf[128];
  cs_store_t *s = fix_open(db);
  fix_file(file, good_file);
  cs_ingest_stats_t first = {0}, again = {0};
  cs_diag_t d = {""};
  CHECK_INT(ingest(s, file, &first, &d), CS_OK);
  CHECK_INT(ingest(s, file, &again, &d), CS_OK);
  CHECK_INT(again.lines, 9);
  CHECK_INT(again.inserted, 0);
  CHECK_INT(again.skipped, 9);
  CHECK_STR(fix_counts_str(s, buf), "2 1 1 2 1 1 1");
  fix_close(s, db);
  unlink(file);
}

static int joined_at(void *ctx, const cs_fact_t *f) {
  *(cs_time_t *)ctx = f->at;
  return 0;
}

static void test_offsets_are_folded_into_utc(void) {
  char db[FIX_PATH_MAX], file[FIX_PATH_MAX];
  cs_store_t *s = fix_open(db);
  fix_file(file, good_file);
  cs_diag_t d = {""};
  CHECK_INT(ingest(s, file, NULL, &d), CS_OK);
  cs_time_t at = 0;
  CHECK_INT(cs_store_get_member(s, "m2", joined_at, &at, &d), CS_OK);
  CHECK_INT(at, fix_t("2024-05-01T10:00:00Z"));
  fix_close(s, db);
  unlink(file);
}

/* Loads M1 for good, then a file whose line 1 adds m2 and whose line 3 is
 * `bad`: the load must fail with "FILE:3: <want>" and leave only m1. */
static void rejects(const char *bad, const char *want) {
  char db[FIX_PATH_MAX], ok[FIX_PATH_MAX], file[FIX_PATH_MAX], text[2048], msg[2048], buf[128];
  cs_store_t *s = fix_open(db);
  fix_file(ok, M1);
  cs_diag_t d = {""};
  CHECK_INT(ingest(s, ok, NULL, &d), CS_OK);
  snprintf(text, sizeof text,
           "{\"type\":\"member\",\"id\":\"m2\",\"name\":\"Bo\",\"handle\":\"bo\","
           "\"email\":\"bo@example.de\",\"country\":\"DE\",\"joined_at\":\"2024-01-01T00:00:00Z\"}\n"
           "\n%s\n",
           bad);
  fix_file(file, text);
  cs_ingest_stats_t st = {0};
  int rc = ingest(s, file, &st, &d);
  CHECK_INT(rc, CS_EINVAL);
  snprintf(msg, sizeof msg, "%s:3: %s", file, want);
  CHECK_STR(d.msg, msg);
  CHECK_INT(st.lines, 0); /* a failed load adds nothing to the stats */
  CHECK_STR(fix_counts_str(s, buf), "1 0 0 0 0 0 0");
  fix_close(s, db);
  unlink(ok);
  unlink(file);
}

static void test_bad_times(void) {
  rejects("{\"type\":\"location\",\"member\":\"m1\",\"country\":\"FR\",\"at\":\"2024-13-01T00:00:00Z\"}",
          "at: expected an RFC 3339 time like 2024-05-01T12:00:00Z, got \"2024-13-01T00:00:00Z\"");
  rejects("{\"type\":\"location\",\"member\":\"m1\",\"country\":\"FR\",\"at\":\"2024-05-01 10:00\"}",
          "at: expected an RFC 3339 time like 2024-05-01T12:00:00Z, got \"2024-05-01 10:00\"");
  rejects("{\"type\":\"location\",\"member\":\"m1\",\"country\":\"FR\",\"at\":1714557600}",
          "at: expected a string");
}

static void test_bad_countries(void) {
  rejects("{\"type\":\"location\",\"member\":\"m1\",\"country\":\"UK\",\"at\":\"2024-05-01T00:00:00Z\"}",
          "country: expected an ISO 3166-1 alpha-2 code like \"DE\", got \"UK\""
          " (the United Kingdom is GB)");
  rejects("{\"type\":\"location\",\"member\":\"m1\",\"country\":\"XX\",\"at\":\"2024-05-01T00:00:00Z\"}",
          "country: expected an ISO 3166-1 alpha-2 code like \"DE\", got \"XX\"");
}

static void test_settings_need_a_known_name_and_a_json_boolean(void) {
  rejects("{\"type\":\"setting\",\"member\":\"m1\",\"setting\":\"genai_training\","
          "\"value\":\"true\",\"at\":\"2024-05-01T00:00:00Z\"}",
          "value: expected a JSON boolean (true or false)");
  rejects("{\"type\":\"setting\",\"member\":\"m1\",\"setting\":\"ads\","
          "\"value\":true,\"at\":\"2024-05-01T00:00:00Z\"}",
          "setting: expected a known setting (genai_training), got \"ads\"");
}

static void test_objections_need_a_known_purpose(void) {
  rejects("{\"type\":\"objection\",\"member\":\"m1\",\"purpose\":\"ads\","
          "\"at\":\"2024-05-01T00:00:00Z\"}",
          "purpose: expected a known purpose (genai_training, personalization, moderation),"
          " got \"ads\"");
  rejects("{\"type\":\"objection\",\"member\":\"m1\",\"purpose\":\"moderation\","
          "\"at\":\"2024-05-01T00:00:00Z\",\"withdrawn\":\"yes\"}",
          "withdrawn: expected a JSON boolean (true or false)");
}

static void test_missing_and_empty_fields(void) {
  rejects("{\"type\":\"location\",\"member\":\"m1\",\"country\":\"FR\"}",
          "at: required field is missing");
  rejects("{\"type\":\"account_closed\",\"member\":\"\",\"at\":\"2024-05-01T00:00:00Z\"}",
          "member: expected a non-empty string");
  rejects("{\"member\":\"m1\",\"at\":\"2024-05-01T00:00:00Z\"}", "type: required field is missing");
  rejects("{\"type\":\"member\",\"id\":\"m3\",\"name\":\"C\",\"handle\":\"c\",\"email\":\"c\","
          "\"country\":\"FR\",\"joined_at\":\"2024-05-01T00:00:00Z\"}",
          "email: expected an email address like name@example.com");
  rejects("{\"type\":\"member\",\"id\":\"m3\",\"name\":\"C\",\"handle\":\"c\",\"email\":\"c@x.fr\","
          "\"country\":\"FR\",\"birth_date\":\"2001-02-29\",\"joined_at\":\"2024-05-01T00:00:00Z\"}",
          "birth_date: expected a date YYYY-MM-DD, got \"2001-02-29\"");
}

static void test_unknown_types_and_malformed_json(void) {
  rejects("{\"type\":\"login\",\"member\":\"m1\",\"at\":\"2024-05-01T00:00:00Z\"}",
          "type: expected one of member, location, setting, objection, policy, content_deleted,"
          " account_closed, got \"login\"");
  rejects("{\"type\":\"location\",\"member\":\"m1\",", "expected a JSON object (unexpected end of line)");
  rejects("[1, 2]", "expected exactly one JSON object per line");
  rejects("{\"type\":\"account_closed\",\"member\":\"m1\",\"at\":\"2024-05-01T00:00:00Z\"} {}",
          "expected exactly one JSON object per line");
}

static void test_facts_need_a_member_fact_before_them(void) {
  rejects("{\"type\":\"account_closed\",\"member\":\"m9\",\"at\":\"2024-05-01T00:00:00Z\"}",
          "member: expected a known member id, got \"m9\" (no member fact before this line)");
  rejects("{\"type\":\"content_deleted\",\"id\":\"p1\",\"member\":\"m9\",\"at\":\"2024-05-01T00:00:00Z\"}",
          "member: expected a known member id, got \"m9\" (no member fact before this line)");
}

static void test_policies_need_known_purposes_and_the_notice_period(void) {
  rejects("{\"type\":\"policy\",\"version\":\"v1\",\"purposes\":[\"genai_training\"],"
          "\"published_at\":\"2024-01-01T00:00:00Z\",\"effective_at\":\"2024-01-30T23:59:59Z\"}",
          "effective_at: expected at least published_at + 30 days notice"
          " (earliest 2024-01-31T00:00:00Z)");
  rejects("{\"type\":\"policy\",\"version\":\"v1\",\"purposes\":[],"
          "\"published_at\":\"2024-01-01T00:00:00Z\",\"effective_at\":\"2024-03-01T00:00:00Z\"}",
          "purposes: expected a non-empty array of purpose names");
  rejects("{\"type\":\"policy\",\"version\":\"v1\",\"purposes\":[\"moderation\",\"ads\"],"
          "\"published_at\":\"2024-01-01T00:00:00Z\",\"effective_at\":\"2024-03-01T00:00:00Z\"}",
          "purposes: expected a known purpose (genai_training, personalization, moderation),"
          " got \"ads\"");
  rejects("{\"type\":\"policy\",\"version\":\"v1\",\"purposes\":[\"moderation\",\"moderation\"],"
          "\"published_at\":\"2024-01-01T00:00:00Z\",\"effective_at\":\"2024-03-01T00:00:00Z\"}",
          "purposes: expected each purpose once, got \"moderation\" twice");
}

static void test_a_missing_file_is_not_found(void) {
  char db[FIX_PATH_MAX];
  cs_store_t *s = fix_open(db);
  cs_diag_t d = {""};
  CHECK_INT(ingest(s, "/tmp/cs-test-no-such-file.jsonl", NULL, &d), CS_ENOTFOUND);
  CHECK_STR(d.msg, "/tmp/cs-test-no-such-file.jsonl: cannot open: No such file or directory");
  fix_close(s, db);
}

RUN_TESTS(test_every_fact_type_loads, test_replaying_a_file_skips_everything,
          test_offsets_are_folded_into_utc, test_bad_times, test_bad_countries,
          test_settings_need_a_known_name_and_a_json_boolean, test_objections_need_a_known_purpose,
          test_missing_and_empty_fields, test_unknown_types_and_malformed_json,
          test_facts_need_a_member_fact_before_them,
          test_policies_need_known_purposes_and_the_notice_period, test_a_missing_file_is_not_found)
