/* Specification: a snapshot built fact by fact gives, for every member and
 * record, exactly the decision cs_eligibility_decide gives on that member's
 * facts folded directly (the oracle), and knows the records deleted by T. */
#include <stdlib.h>

#include "policy/fixture.h"

#define N_MEMBERS 3000
#define MAX_FACTS 12

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t rnd(uint32_t n) { /* xorshift64*, deterministic */
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (uint32_t)((rng * 0x2545F4914F6CDD1Du) >> 33) % n;
}

static const char *countries[] = {"US", "FR", "DE", "GB", "CH", "BR", "NO", "IN"};
static const char *purposes[] = {"genai_training", "personalization", "moderation", "unknown"};
static cs_time_t base, T;

typedef struct {
  char id[16];
  cs_fact_t f[MAX_FACTS];
  size_t n;
} member_t;

static cs_time_t some_time(void) { return base + (cs_time_t)rnd(1000) * CS_NS_PER_DAY / 4; }

static void gen_member(member_t *m, size_t i, int64_t *seq) {
  snprintf(m->id, sizeof m->id, "m%zu", i);
  m->n = 0;
  bool has_member = rnd(20) != 0; /* some have only other facts */
  size_t n = 1 + rnd(MAX_FACTS - 1);
  for (size_t k = 0; k < n; k++) {
    cs_fact_t *f = &m->f[m->n++];
    memset(f, 0, sizeof *f);
    f->member = m->id;
    f->seq = ++*seq;
    f->at = rnd(3) == 0 ? base + (cs_time_t)rnd(4) * CS_NS_PER_DAY : some_time(); /* ties */
    uint32_t kind = k == 0 && has_member ? 0 : 1 + rnd(5);
    if (kind == 0) {
      f->type = CS_FACT_MEMBER;
      f->u.member.country = rnd(10) ? cc(countries[rnd(8)]) : CS_COUNTRY_NONE;
      f->u.member.birth_days = rnd(3) ? CS_NO_DATE : (int32_t)(base / CS_NS_PER_DAY) - 6000 - (int32_t)rnd(2000);
    } else if (kind == 1 || kind == 5) {
      f->type = CS_FACT_LOCATION;
      f->u.location.country = cc(countries[rnd(8)]);
    } else if (kind == 2) {
      f->type = CS_FACT_SETTING;
      f->u.setting.setting = rnd(8) ? "genai_training" : "other";
      f->u.setting.value = rnd(2);
    } else if (kind == 3) {
      f->type = CS_FACT_OBJECTION;
      f->u.objection.purpose = purposes[rnd(4)];
      f->u.objection.withdrawn = rnd(2);
    } else {
      f->type = rnd(4) ? CS_FACT_LOCATION : CS_FACT_ACCOUNT_CLOSED;
      f->u.location.country = cc(countries[rnd(8)]);
    }
  }
}

static int cmp_fact(const void *a, const void *b) {
  const cs_fact_t *x = a, *y = b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Feeds facts as the store would: (member, at, seq) order, only at <= T,
 * through a reused buffer so the snapshot must copy what it keeps. */
static void feed(cs_snapshot_t *snap, member_t *m) {
  qsort(m->f, m->n, sizeof m->f[0], cmp_fact);
  char idbuf[16];
  for (size_t k = 0; k < m->n; k++) {
    if (m->f[k].at > T) continue;
    cs_fact_t f = m->f[k];
    memcpy(idbuf, m->id, sizeof idbuf);
    f.member = idbuf;
    CHECK_INT(cs_snapshot_add(snap, &f), CS_OK);
    memset(idbuf, 'x', sizeof idbuf - 1);
  }
}

static void test_snapshot_matches_direct_fold(void) {
  static member_t ms[N_MEMBERS];
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  base = ts("2024-01-01T00:00:00Z");
  T = base + 150 * CS_NS_PER_DAY;
  cs_snapshot_t *snap = NULL;
  CHECK_INT(cs_snapshot_new(cfg, T, &snap), CS_OK);
  int64_t seq = 0;
  for (size_t i = 0; i < N_MEMBERS; i++) gen_member(&ms[i], i, &seq);
  for (size_t i = 0; i < N_MEMBERS; i++) feed(snap, &ms[i]);
  /* Deletions: records r<i>-0 deleted at various times; a policy is ignored. */
  for (size_t i = 0; i < N_MEMBERS; i += 3) {
    char rid[24];
    snprintf(rid, sizeof rid, "r%zu-0", i);
    cs_fact_t d = {.type = CS_FACT_CONTENT_DELETED, .member = ms[i].id, .at = some_time()};
    d.u.deleted.record = rid;
    CHECK_INT(cs_snapshot_add(snap, &d), CS_OK);
  }
  cs_fact_t pol = {.type = CS_FACT_POLICY, .at = base};
  CHECK_INT(cs_snapshot_add(snap, &pol), CS_OK);
  CHECK_INT(cs_snapshot_finish(snap), CS_OK);
  CHECK_INT(cs_snapshot_as_of(snap), T);

  size_t known = 0, mismatches = 0, included = 0;
  cs_country_at_t buf[MAX_FACTS];
  for (size_t i = 0; i < N_MEMBERS; i++) {
    cs_member_state_t direct;
    cs_member_state_fold(ms[i].f, ms[i].n, T, cfg, buf, &direct);
    const cs_member_state_t *sm = cs_snapshot_member(snap, ms[i].id, strlen(ms[i].id));
    CHECK_INT(sm != NULL, direct.known);
    known += direct.known;
    for (int r = 0; r < 8; r++) {
      cs_record_facts_t rec = {some_time(), (cs_kind_t)rnd(CS_N_KINDS), (cs_visibility_t)rnd(CS_N_VIS), false};
      char rid[24];
      snprintf(rid, sizeof rid, "r%zu-%d", i, r);
      rec.deleted = cs_snapshot_deleted(snap, rid, strlen(rid));
      for (size_t p = 0; p < cfg->n_purposes; p++) {
        cs_reason_t a = cs_eligibility_decide(sm, &rec, cfg, p, T);
        cs_reason_t b = cs_eligibility_decide(direct.known ? &direct : NULL, &rec, cfg, p, T);
        if (a != b) mismatches++;
        included += a == CS_REASON_INCLUDED;
      }
    }
  }
  CHECK_INT(mismatches, 0);
  CHECK_INT(cs_snapshot_n_members(snap), known);
  CHECK(known > N_MEMBERS / 2 && known < N_MEMBERS); /* the generator covers both */
  CHECK(included > 0);
  cs_snapshot_free(snap);
  cs_config_free(cfg);
}

static void count_member(void *ctx, const char *id, const cs_member_state_t *m) {
  (void)m;
  CHECK(id[0] == 'a');
  ++*(size_t *)ctx;
}

static cs_fact_t member_fact(const char *id, const char *at) {
  cs_fact_t f = {.type = CS_FACT_MEMBER, .member = id, .at = ts(at)};
  f.u.member.country = cc("US");
  f.u.member.birth_days = CS_NO_DATE;
  return f;
}

static void test_members_deletions_and_misuse(void) {
  cs_config_t *cfg = NULL;
  CHECK_INT(cs_config_default(&cfg), CS_OK);
  cs_snapshot_t *snap = NULL;
  CHECK_INT(cs_snapshot_new(cfg, ts("2024-06-01T00:00:00Z"), &snap), CS_OK);
  cs_fact_t a1 = member_fact("a1", "2024-01-01T00:00:00Z");
  cs_fact_t a2 = member_fact("a2", "2024-06-01T00:00:00Z");          /* joins at T */
  cs_fact_t late = member_fact("b1", "2024-06-01T00:00:00.000000001Z"); /* 1 ns after */
  cs_fact_t del = {.type = CS_FACT_CONTENT_DELETED, .member = "a1", .at = ts("2024-06-01T00:00:00Z")};
  del.u.deleted.record = "post-1";
  cs_fact_t del_late = del;
  del_late.at += 1;
  del_late.u.deleted.record = "post-2";
  CHECK_INT(cs_snapshot_add(snap, &a1), CS_OK);
  CHECK_INT(cs_snapshot_add(snap, &del), CS_OK);
  CHECK_INT(cs_snapshot_add(snap, &a2), CS_OK);
  CHECK_INT(cs_snapshot_add(snap, &late), CS_OK);
  CHECK_INT(cs_snapshot_add(snap, &del_late), CS_OK);
  CHECK_INT(cs_snapshot_add(snap, &del), CS_OK); /* a repeated deletion is harmless */
  CHECK(cs_snapshot_member(snap, "a1", 2) == NULL); /* not before finish */
  CHECK_INT(cs_snapshot_finish(snap), CS_OK);
  CHECK_INT(cs_snapshot_add(snap, &a1), CS_EINVAL); /* not after */
  CHECK_INT(cs_snapshot_finish(snap), CS_EINVAL);
  CHECK_INT(cs_snapshot_n_members(snap), 2);
  CHECK(cs_snapshot_member(snap, "a1", 2) != NULL);
  CHECK(cs_snapshot_member(snap, "a2", 2) != NULL);
  CHECK(cs_snapshot_member(snap, "a2x", 2) != NULL); /* the length bounds the id */
  CHECK(cs_snapshot_member(snap, "b1", 2) == NULL);
  CHECK(cs_snapshot_member(snap, "a", 1) == NULL);
  CHECK(cs_snapshot_deleted(snap, "post-1", 6));
  CHECK(!cs_snapshot_deleted(snap, "post-2", 6));
  CHECK(!cs_snapshot_deleted(snap, "post-", 5));
  size_t n = 0;
  cs_snapshot_each_member(snap, count_member, &n);
  CHECK_INT(n, 2);
  cs_snapshot_free(snap);
  cs_snapshot_free(NULL);

  /* Facts of one member split into two groups: refused. */
  CHECK_INT(cs_snapshot_new(cfg, ts("2024-06-01T00:00:00Z"), &snap), CS_OK);
  CHECK_INT(cs_snapshot_add(snap, &a1), CS_OK);
  CHECK_INT(cs_snapshot_add(snap, &a2), CS_OK);
  cs_fact_t a1_again = member_fact("a1", "2024-02-01T00:00:00Z");
  CHECK_INT(cs_snapshot_add(snap, &a1_again), CS_OK);
  CHECK_INT(cs_snapshot_finish(snap), CS_EINVAL);
  cs_snapshot_free(snap);
  cs_config_free(cfg);
}

RUN_TESTS(test_snapshot_matches_direct_fold, test_members_deletions_and_misuse)
