/* snapshot_load.c — timing of the eligibility snapshot at scale (not a test).
 *
 * Builds a ledger of N members (default 1,000,000) with locations, settings,
 * objections, closures and deletions, then times
 *   1. cs_snapshot_add/finish from facts in memory (the snapshot alone),
 *   2. cs_snapshot_load from the SQLite ledger (store scan + snapshot),
 *   3. lookups + decisions per second, half of them for unknown ids.
 * Build and run (after building the library in build/):
 *   cc -O2 -std=c17 -D_GNU_SOURCE -Iinclude bench/snapshot_load.c build/libconsentry.a \
 *      $(pkg-config --libs json-c sqlite3 inih libsodium libxxhash libzstd libhs) -lm \
 *      -lpthread -o build/bench_snapshot_load && build/bench_snapshot_load [N] [DB]
 * The ledger is kept at DB (default /tmp/cs-bench-snapshot.db) and reused when
 * it already holds N members.
 */
#include <consentry/consentry.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252u;
static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

static const char *countries[] = {"US", "FR", "DE", "GB", "IN", "BR", "CH", "JP"};
static const cs_time_t base = INT64_C(1704067200) * CS_NS_PER_SEC; /* 2024-01-01 */

/* The i-th fact of member m (0: the member fact); false when m has no more. */
static bool gen_fact(size_t m, int i, char *id, char *rec, cs_fact_t *f) {
  static const int extra[] = {0, 1, 1, 2, 0, 1, 3, 1, 0, 2}; /* ~1.1 extra facts each */
  if (i > extra[m % 10]) return false;
  snprintf(id, 24, "member-%zu", m);
  memset(f, 0, sizeof *f);
  f->member = id;
  f->at = base + (cs_time_t)(m % 1000) * CS_NS_PER_DAY / 10 + i * CS_NS_PER_DAY;
  cs_country_t c;
  if (cs_country_parse(countries[rnd(8)], 2, &c) != CS_OK) return false;
  uint32_t k = i == 0 ? 0 : 1 + rnd(10);
  if (k == 0) {
    f->type = CS_FACT_MEMBER;
    f->u.member.name = f->u.member.handle = f->u.member.email = id;
    f->u.member.country = c;
    f->u.member.birth_days = rnd(2) ? CS_NO_DATE : 8000 + (int32_t)rnd(4000);
  } else if (k <= 4) {
    f->type = CS_FACT_LOCATION;
    f->u.location.country = c;
  } else if (k <= 7) {
    f->type = CS_FACT_SETTING;
    f->u.setting.setting = "genai_training";
    f->u.setting.value = rnd(2);
  } else if (k <= 8) {
    f->type = CS_FACT_OBJECTION;
    f->u.objection.purpose = "personalization";
  } else if (k <= 9) {
    f->type = CS_FACT_CONTENT_DELETED;
    snprintf(rec, 32, "rec-%zu-%d", m, i);
    f->u.deleted.record = rec;
  } else {
    f->type = CS_FACT_ACCOUNT_CLOSED;
  }
  return true;
}

static int fill_ledger(cs_store_t *s, size_t n) {
  cs_diag_t d = {""};
  char id[24], rec[32];
  cs_fact_t f;
  int rc = cs_store_begin(s, &d);
  for (size_t m = 0; m < n && rc == CS_OK; m++)
    for (int i = 0; rc == CS_OK && gen_fact(m, i, id, rec, &f); i++)
      rc = cs_store_put_fact(s, &f, NULL, &d);
  if (rc == CS_OK) rc = cs_store_commit(s, &d);
  if (rc != CS_OK) fprintf(stderr, "fill: %s\n", d.msg);
  return rc;
}

static void bench_in_memory(const cs_config_t *cfg, size_t n, cs_time_t T) {
  cs_snapshot_t *snap = NULL;
  char id[24], rec[32];
  cs_fact_t f;
  rng = 88172645463325252u;
  double t0 = now_s();
  if (cs_snapshot_new(cfg, T, &snap) != CS_OK) return;
  for (size_t m = 0; m < n; m++)
    for (int i = 0; gen_fact(m, i, id, rec, &f); i++)
      if (cs_snapshot_add(snap, &f) != CS_OK) goto out;
  if (cs_snapshot_finish(snap) == CS_OK)
    printf("snapshot add/finish (facts generated in memory): %.3f s, %zu members\n",
           now_s() - t0, cs_snapshot_n_members(snap));
out:
  cs_snapshot_free(snap);
}

static void bench_lookups(const cs_snapshot_t *snap, const cs_config_t *cfg, size_t n) {
  char id[32];
  size_t lookups = 2 * n, included = 0;
  cs_record_facts_t r = {base + 200 * CS_NS_PER_DAY, CS_KIND_POST, CS_VIS_PUBLIC, false};
  double t0 = now_s();
  for (size_t i = 0; i < lookups; i++) {
    int len = snprintf(id, sizeof id, "member-%zu", (i * 7919) % (2 * n)); /* half unknown */
    const cs_member_state_t *m = cs_snapshot_member(snap, id, (size_t)len);
    r.deleted = cs_snapshot_deleted(snap, id, (size_t)len);
    included += cs_eligibility_decide(m, &r, cfg, 0, cs_snapshot_as_of(snap)) == CS_REASON_INCLUDED;
  }
  double dt = now_s() - t0;
  printf("lookup + deleted + decide: %.0f records/s (%zu included of %zu)\n", (double)lookups / dt,
         included, lookups);
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
  const char *db = argc > 2 ? argv[2] : "/tmp/cs-bench-snapshot.db";
  cs_config_t *cfg = NULL;
  cs_store_t *s = NULL;
  cs_snapshot_t *snap = NULL;
  cs_diag_t d = {""};
  cs_time_t T = base + 400 * CS_NS_PER_DAY;
  if (cs_config_default(&cfg) != CS_OK || cs_store_open(db, &s, &d) != CS_OK) {
    fprintf(stderr, "setup: %s\n", d.msg);
    return 1;
  }
  cs_store_counts_t c = {0};
  if (cs_store_counts(s, &c, &d) == CS_OK && (size_t)c.members != n) {
    double t0 = now_s();
    if (fill_ledger(s, n) != CS_OK) return 1;
    printf("ledger filled: %.1f s\n", now_s() - t0);
  }
  bench_in_memory(cfg, n, T);
  double t0 = now_s();
  if (cs_snapshot_load(s, cfg, T, &snap, &d) != CS_OK) {
    fprintf(stderr, "load: %s\n", d.msg);
    return 1;
  }
  printf("cs_snapshot_load (SQLite scan + snapshot): %.3f s, %zu members\n", now_s() - t0,
         cs_snapshot_n_members(snap));
  bench_lookups(snap, cfg, n);
  cs_snapshot_free(snap);
  cs_store_close(s);
  cs_config_free(cfg);
  return 0;
}
