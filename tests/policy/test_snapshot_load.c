/* Specification: cs_snapshot_load reads the ledger as of T — member facts
 * grouped by member, deletions — and decides exactly like the facts folded
 * directly. Facts after T (a member joining 1 ns late, a later opt-out, a
 * later deletion) do not count; facts at exactly T do. */
#include <stdlib.h>
#include <unistd.h>

#include <consentry/store.h>

#include "policy/fixture.h"

static void put(cs_store_t *s, cs_fact_t *f) {
  cs_diag_t d = {""};
  bool inserted = false;
  f->seq = 0;
  CHECK_INT(cs_store_put_fact(s, f, &inserted, &d), CS_OK);
  CHECK_STR(d.msg, "");
  CHECK(inserted);
}

static cs_fact_t member(const char *id, const char *country, const char *joined) {
  cs_fact_t f = {.type = CS_FACT_MEMBER, .member = id, .at = ts(joined)};
  f.u.member.name = "N";
  f.u.member.handle = id;
  f.u.member.email = "n@example.org";
  f.u.member.country = cc(country);
  f.u.member.birth_days = CS_NO_DATE;
  return f;
}

static cs_fact_t setting(const char *id, bool value, const char *at) {
  cs_fact_t f = {.type = CS_FACT_SETTING, .member = id, .at = ts(at)};
  f.u.setting.setting = "genai_training";
  f.u.setting.value = value;
  return f;
}

static cs_fact_t location(const char *id, const char *country, const char *at) {
  cs_fact_t f = {.type = CS_FACT_LOCATION, .member = id, .at = ts(at)};
  f.u.location.country = cc(country);
  return f;
}

static cs_fact_t deletion(const char *id, const char *record, const char *at) {
  cs_fact_t f = {.type = CS_FACT_CONTENT_DELETED, .member = id, .at = ts(at)};
  f.u.deleted.record = record;
  return f;
}

static void fill(cs_store_t *s) {
  cs_diag_t d = {""};
  CHECK_INT(cs_store_begin(s, &d), CS_OK);
  cs_fact_t facts[] = {
      member("ann", "US", "2024-01-01T00:00:00Z"),
      member("bob", "DE", "2024-01-01T00:00:00Z"),
      member("cy", "US", "2024-06-01T00:00:00.000000001Z"), /* joins 1 ns after T */
      member("dee", "GB", "2024-06-01T02:00:00+02:00"),     /* joins at exactly T */
      setting("ann", false, "2024-06-01T00:00:00.000000001Z"),
      setting("dee", false, "2024-06-01T00:00:00Z"),
      location("bob", "US", "2024-03-01T00:00:00Z"),
      deletion("ann", "ann-1", "2024-06-01T00:00:00Z"),
      deletion("ann", "ann-2", "2024-06-01T00:00:00.000000001Z"),
  };
  for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) put(s, &facts[i]);
  CHECK_INT(cs_store_commit(s, &d), CS_OK);
}

static const char *reason(const cs_snapshot_t *snap, const cs_config_t *cfg, const char *id,
                          const char *record, const char *created) {
  const cs_member_state_t *m = cs_snapshot_member(snap, id, strlen(id));
  cs_record_facts_t r = {ts(created), CS_KIND_POST, CS_VIS_PUBLIC,
                         cs_snapshot_deleted(snap, record, strlen(record))};
  size_t p = 0;
  CHECK_INT(cs_config_purpose(cfg, "genai_training", &p), CS_OK);
  return cs_reason_name(cs_eligibility_decide(m, &r, cfg, p, cs_snapshot_as_of(snap)));
}

static void test_load_from_ledger(void) {
  char path[] = "/tmp/cs-test-snapload-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  cs_store_t *s = NULL;
  cs_diag_t d = {""};
  CHECK_INT(cs_store_open(path, &s, &d), CS_OK);
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  if (!s || !cfg) return;
  fill(s);
  cs_snapshot_t *snap = NULL;
  CHECK_INT(cs_snapshot_load(s, cfg, ts("2024-06-01T00:00:00Z"), &snap, &d), CS_OK);
  CHECK_STR(d.msg, "");
  if (snap) {
    CHECK_INT(cs_snapshot_n_members(snap), 3);
    CHECK_STR(reason(snap, cfg, "ann", "ann-1", "2024-02-01T00:00:00Z"), "DELETED");
    CHECK_STR(reason(snap, cfg, "ann", "ann-2", "2024-02-01T00:00:00Z"), "INCLUDED");
    CHECK_STR(reason(snap, cfg, "bob", "bob-1", "2024-02-01T00:00:00Z"),
              "JURISDICTION_AT_CREATION");
    CHECK_STR(reason(snap, cfg, "bob", "bob-1", "2024-04-01T00:00:00Z"), "INCLUDED");
    CHECK_STR(reason(snap, cfg, "cy", "cy-1", "2024-02-01T00:00:00Z"), "UNKNOWN_MEMBER");
    CHECK_STR(reason(snap, cfg, "dee", "dee-1", "2024-06-01T00:00:00Z"), "OPTED_OUT");
    CHECK_STR(reason(snap, cfg, "eve", "eve-1", "2024-02-01T00:00:00Z"), "UNKNOWN_MEMBER");
  }
  cs_snapshot_free(snap);
  /* One nanosecond later, ann's opt-out and second deletion count and cy exists. */
  CHECK_INT(cs_snapshot_load(s, cfg, ts("2024-06-01T00:00:00.000000001Z"), &snap, &d), CS_OK);
  if (snap) {
    CHECK_INT(cs_snapshot_n_members(snap), 4);
    CHECK_STR(reason(snap, cfg, "ann", "ann-2", "2024-02-01T00:00:00Z"), "DELETED");
    CHECK_STR(reason(snap, cfg, "ann", "ann-3", "2024-02-01T00:00:00Z"), "OPTED_OUT");
    CHECK_STR(reason(snap, cfg, "cy", "cy-1", "2024-06-01T00:00:00.000000001Z"), "INCLUDED");
  }
  cs_snapshot_free(snap);
  cs_config_free(cfg);
  cs_store_close(s);
  unlink(path);
  char side[64];
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

RUN_TESTS(test_load_from_ledger)
