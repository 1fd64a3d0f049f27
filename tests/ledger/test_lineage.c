/* Specification of lineage: datasets and training runs are registered with
 * the members whose data they used, and can be read back both ways — by
 * entry (an audit) and by member ("how my data was used"). */
#include "ledger_fixture.h"

typedef struct {
  char out[512];
} trace_t;

static int trace_entry(void *ctx, const cs_lineage_t *l, int64_t member_records) {
  trace_t *t = ctx;
  size_t n = strlen(t->out);
  snprintf(t->out + n, sizeof t->out - n, "%s:%s:%s:%lld:%lld ", l->id, l->kind,
           l->parent ? l->parent : "-", (long long)l->records, (long long)member_records);
  return 0;
}

static int trace_member(void *ctx, const char *member, int64_t records) {
  trace_t *t = ctx;
  size_t n = strlen(t->out);
  snprintf(t->out + n, sizeof t->out - n, "%s=%lld ", member, (long long)records);
  return 0;
}

static void put(cs_store_t *s, const cs_lineage_t *l, const cs_lineage_member_t *m, size_t n,
                int want) {
  cs_diag_t d = {""};
  CHECK_INT(cs_store_begin(s, &d), CS_OK);
  CHECK_INT(cs_store_put_lineage(s, l, m, n, &d), want);
  if (want == CS_OK)
    CHECK_INT(cs_store_commit(s, &d), CS_OK);
  else
    cs_store_rollback(s);
}

static void test_entries_read_back_by_id_and_by_member(void) {
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  cs_lineage_t ds = {.id = "ds1", .kind = "dataset", .purpose = "genai_training",
                     .policy_version = "2024-01", .location = "/data/ds1", .digest = "abc",
                     .as_of = 10, .created_at = 100, .records = 5, .members = 2, .tokens = 99,
                     .details = "{\"shards\":4}"};
  cs_lineage_member_t dm[] = {{"m2", 3}, {"m1", 2}};
  put(s, &ds, dm, 2, CS_OK);
  cs_lineage_t run = {.id = "run1", .kind = "training_run", .parent = "ds1", .as_of = 10,
                      .created_at = 200, .records = 2, .members = 1};
  cs_lineage_member_t rm[] = {{"m1", 2}};
  put(s, &run, rm, 1, CS_OK);
  trace_t t = {""};
  cs_diag_t d = {""};
  CHECK_INT(cs_store_get_lineage(s, "ds1", trace_entry, &t, &d), CS_OK);
  CHECK_STR(t.out, "ds1:dataset:-:5:0 ");
  t.out[0] = 0;
  CHECK_INT(cs_store_each_member_lineage(s, "m1", trace_entry, &t, &d), CS_OK);
  CHECK_STR(t.out, "ds1:dataset:-:5:2 run1:training_run:ds1:2:2 ");
  t.out[0] = 0;
  CHECK_INT(cs_store_each_member_lineage(s, "m2", trace_entry, &t, &d), CS_OK);
  CHECK_STR(t.out, "ds1:dataset:-:5:3 ");
  t.out[0] = 0;
  CHECK_INT(cs_store_each_member_lineage(s, "nobody", trace_entry, &t, &d), CS_OK);
  CHECK_STR(t.out, "");
  CHECK_INT(cs_store_each_lineage_member(s, "ds1", trace_member, &t, &d), CS_OK);
  CHECK_STR(t.out, "m1=2 m2=3 ");
  CHECK_INT(cs_store_get_lineage(s, "nope", trace_entry, &t, &d), CS_ENOTFOUND);
  fix_close(s, path);
}

static void test_an_id_registers_once_and_a_failed_put_leaves_nothing(void) {
  /* The same id again (the same dataset rebuilt) keeps the first entry. */
  char path[FIX_PATH_MAX];
  cs_store_t *s = fix_open(path);
  cs_lineage_t ds = {.id = "ds1", .kind = "dataset"};
  cs_lineage_member_t dup[] = {{"m1", 1}, {"m1", 1}}; /* the same member twice */
  put(s, &ds, dup, 2, CS_EDB);
  trace_t t = {""};
  cs_diag_t d = {""};
  CHECK_INT(cs_store_get_lineage(s, "ds1", trace_entry, &t, &d), CS_ENOTFOUND);
  put(s, &ds, dup, 1, CS_OK);
  cs_lineage_t again = {.id = "ds1", .kind = "dataset", .records = 99};
  put(s, &again, NULL, 0, CS_OK);
  CHECK_INT(cs_store_get_lineage(s, "ds1", trace_entry, &t, &d), CS_OK);
  CHECK_STR(t.out, "ds1:dataset:-:0:0 ");
  t.out[0] = 0;
  CHECK_INT(cs_store_each_lineage_member(s, "ds1", trace_member, &t, &d), CS_OK);
  CHECK_STR(t.out, "m1=1 ");
  CHECK_INT(cs_store_put_lineage(s, &ds, NULL, 0, &d), CS_EINTERNAL); /* no transaction */
  fix_close(s, path);
}

RUN_TESTS(test_entries_read_back_by_id_and_by_member,
          test_an_id_registers_once_and_a_failed_put_leaves_nothing)
