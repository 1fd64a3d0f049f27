/* snapshot.c — every member's state as of T, and the records deleted by T.
 *
 * Built once per gate or dataset build, then consulted for every content
 * record, so both directions matter: building from a million members must
 * take well under a second (the store scan dominates), and a lookup is one
 * XXH3 hash and, usually, one probe (idtable.c).
 *
 * Building: member facts arrive grouped by member (the store's order). The
 * snapshot buffers one member's facts and, when the next member starts (or at
 * finish), folds them with cs_member_state_fold — the same code the rest of
 * consentry uses, so the snapshot cannot disagree with `consent show`. The
 * buffered copies point their setting and purpose names at the config's own
 * strings, since the caller's strings die with its callback.
 *
 * Members whose member fact is after T (or missing) are not stored: lookups
 * return NULL and the decision is UNKNOWN_MEMBER.
 *
 * Memory: ids live in arena blocks; states in one array parallel to the id
 * table's entries; each state's countries in arena blocks too. After an error
 * the snapshot is unusable: every later add or finish returns that error.
 */
#include <consentry/policy.h>

#include <stdlib.h>
#include <string.h>

#include "policy/idtable.h"

struct cs_snapshot {
  const cs_config_t *cfg;     /* borrowed */
  cs_time_t as_of;
  int failed;                 /* the first error of add/finish, sticky */
  bool finished;
  cs__idtab_t members;        /* member id -> index into states */
  cs_member_state_t *states;
  size_t states_cap;
  cs__arena_t countries;      /* every state's countries array */
  cs__idtab_t deleted;        /* ids of records deleted by as_of */
  /* The member being gathered (building only). */
  char *cur_id;
  size_t cur_len, cur_cap;
  bool have_cur;
  cs_fact_t *group;
  size_t n_group, group_cap;
  cs_country_at_t *scratch;   /* fold's countries buffer, group_cap entries */
};

int cs_snapshot_new(const cs_config_t *cfg, cs_time_t T, cs_snapshot_t **out) {
  if (!cfg || !out) return CS_EINVAL;
  cs_snapshot_t *s = calloc(1, sizeof *s);
  if (!s) return CS_ENOMEM;
  s->cfg = cfg;
  s->as_of = T;
  *out = s;
  return CS_OK;
}

static void free_building(cs_snapshot_t *s) {
  free(s->cur_id);
  free(s->group);
  free(s->scratch);
  s->cur_id = NULL;
  s->group = NULL;
  s->scratch = NULL;
  s->cur_cap = s->group_cap = s->n_group = 0;
}

void cs_snapshot_free(cs_snapshot_t *snap) {
  if (!snap) return;
  free_building(snap);
  cs__idtab_free(&snap->members);
  cs__idtab_free(&snap->deleted);
  cs__arena_free(&snap->countries);
  free(snap->states);
  free(snap);
}

/* ---- Folding one member --------------------------------------------------- */

static int push_state(cs_snapshot_t *s, const cs_member_state_t *st) {
  if (s->members.n == s->states_cap) {
    size_t cap = s->states_cap ? s->states_cap * 2 : 1024;
    cs_member_state_t *states = realloc(s->states, cap * sizeof *states);
    if (!states) return CS_ENOMEM;
    s->states = states;
    s->states_cap = cap;
  }
  cs_country_at_t *c = NULL;
  if (st->n_countries) {
    c = cs__arena_alloc(&s->countries, st->n_countries * sizeof *c, _Alignof(cs_country_at_t));
    if (!c) return CS_ENOMEM;
    memcpy(c, st->countries, st->n_countries * sizeof *c);
  }
  uint32_t index;
  bool added;
  int rc = cs__idtab_add(&s->members, s->cur_id, s->cur_len, &index, &added);
  if (rc != CS_OK) return rc;
  if (!added) return CS_EINVAL; /* the member's facts were not grouped together */
  s->states[index] = *st;
  s->states[index].countries = c;
  return CS_OK;
}

/* Folds the gathered member and keeps them if they are known by as_of. */
static int flush_member(cs_snapshot_t *s) {
  if (!s->have_cur) return CS_OK;
  cs_member_state_t st;
  cs_member_state_fold(s->group, s->n_group, s->as_of, s->cfg, s->scratch, &st);
  s->have_cur = false;
  s->n_group = 0;
  return st.known ? push_state(s, &st) : CS_OK;
}

static int start_member(cs_snapshot_t *s, const char *id) {
  size_t len = strlen(id);
  if (len + 1 > s->cur_cap) {
    size_t cap = len + 1 > 64 ? len + 1 : 64;
    char *buf = realloc(s->cur_id, cap);
    if (!buf) return CS_ENOMEM;
    s->cur_id = buf;
    s->cur_cap = cap;
  }
  memcpy(s->cur_id, id, len + 1);
  s->cur_len = len;
  s->have_cur = true;
  return CS_OK;
}

static int grow_group(cs_snapshot_t *s) {
  size_t cap = s->group_cap ? s->group_cap * 2 : 16;
  cs_fact_t *g = realloc(s->group, cap * sizeof *g);
  if (!g) return CS_ENOMEM;
  s->group = g;
  cs_country_at_t *c = realloc(s->scratch, cap * sizeof *c);
  if (!c) return CS_ENOMEM;
  s->scratch = c;
  s->group_cap = cap;
  return CS_OK;
}

/* A copy of f that outlives the caller's strings: names the fold compares
 * point into the config, the rest (member, ids, personal data) is dropped.
 * False if the fact is about a setting or purpose the config lacks. */
static bool detach(const cs_snapshot_t *s, const cs_fact_t *f, cs_fact_t *copy) {
  size_t i;
  *copy = *f;
  copy->fact_id = NULL;
  copy->member = NULL;
  if (f->type == CS_FACT_MEMBER) {
    copy->u.member.name = copy->u.member.handle = copy->u.member.email = NULL;
  } else if (f->type == CS_FACT_SETTING) {
    if (cs_config_setting(s->cfg, f->u.setting.setting, &i) != CS_OK) return false;
    copy->u.setting.setting = s->cfg->settings[i];
  } else if (f->type == CS_FACT_OBJECTION) {
    if (cs_config_purpose(s->cfg, f->u.objection.purpose, &i) != CS_OK) return false;
    copy->u.objection.purpose = s->cfg->purposes[i].name;
    copy->u.objection.reason = NULL;
  }
  return true;
}

static int add_member_fact(cs_snapshot_t *s, const cs_fact_t *f) {
  int rc = CS_OK;
  if (!f->member) return CS_EINVAL;
  if (!s->have_cur || strcmp(f->member, s->cur_id) != 0) {
    rc = flush_member(s);
    if (rc == CS_OK) rc = start_member(s, f->member);
  }
  if (rc != CS_OK || f->at > s->as_of) return rc;
  if (s->n_group == s->group_cap && (rc = grow_group(s)) != CS_OK) return rc;
  if (detach(s, f, &s->group[s->n_group])) s->n_group++;
  return CS_OK;
}

static int add_deletion(cs_snapshot_t *s, const cs_fact_t *f) {
  uint32_t index;
  bool added;
  if (!f->u.deleted.record) return CS_EINVAL;
  if (f->at > s->as_of) return CS_OK;
  return cs__idtab_add(&s->deleted, f->u.deleted.record, strlen(f->u.deleted.record), &index,
                       &added);
}

int cs_snapshot_add(cs_snapshot_t *snap, const cs_fact_t *f) {
  if (!snap || !f || snap->finished) return CS_EINVAL;
  if (snap->failed) return snap->failed;
  int rc;
  switch (f->type) {
  case CS_FACT_MEMBER:
  case CS_FACT_LOCATION:
  case CS_FACT_SETTING:
  case CS_FACT_OBJECTION:
  case CS_FACT_ACCOUNT_CLOSED: rc = add_member_fact(snap, f); break;
  case CS_FACT_CONTENT_DELETED: rc = add_deletion(snap, f); break;
  case CS_FACT_POLICY: rc = CS_OK; break; /* policies gate the build, not records */
  default: rc = CS_EINVAL; break;
  }
  if (rc != CS_OK) snap->failed = rc;
  return rc;
}

int cs_snapshot_finish(cs_snapshot_t *snap) {
  if (!snap || snap->finished) return CS_EINVAL;
  if (snap->failed) return snap->failed;
  int rc = flush_member(snap);
  if (rc != CS_OK) return snap->failed = rc;
  free_building(snap);
  snap->finished = true;
  return CS_OK;
}

/* ---- Lookups (after finish) ---------------------------------------------- */

const cs_member_state_t *cs_snapshot_member(const cs_snapshot_t *snap, const char *id,
                                            size_t id_len) {
  if (!snap || !snap->finished || !id) return NULL;
  int64_t i = cs__idtab_find(&snap->members, id, id_len);
  return i < 0 ? NULL : &snap->states[i];
}

void cs_snapshot_lookup_many(const cs_snapshot_t *snap, const char *const *member_ids,
                             const size_t *member_lens, const char *const *record_ids,
                             const size_t *record_lens, size_t n,
                             const cs_member_state_t **out_members, bool *out_deleted) {
  int64_t idx[64];
  for (size_t base = 0; base < n; base += 64) {
    size_t m = n - base < 64 ? n - base : 64;
    bool ok = snap && snap->finished;
    if (ok) cs__idtab_find_many(&snap->members, member_ids + base, member_lens + base, m, idx);
    for (size_t i = 0; i < m; i++) {
      out_members[base + i] = ok && idx[i] >= 0 ? &snap->states[idx[i]] : NULL;
      if (out_members[base + i]) __builtin_prefetch(out_members[base + i]);
    }
    if (ok) cs__idtab_find_many(&snap->deleted, record_ids + base, record_lens + base, m, idx);
    for (size_t i = 0; i < m; i++) out_deleted[base + i] = ok && idx[i] >= 0;
  }
}

bool cs_snapshot_deleted(const cs_snapshot_t *snap, const char *record_id, size_t len) {
  if (!snap || !snap->finished || !record_id) return false;
  return cs__idtab_find(&snap->deleted, record_id, len) >= 0;
}

size_t cs_snapshot_n_members(const cs_snapshot_t *snap) {
  return snap && snap->finished ? snap->members.n : 0;
}

cs_time_t cs_snapshot_as_of(const cs_snapshot_t *snap) { return snap ? snap->as_of : 0; }

void cs_snapshot_each_member(const cs_snapshot_t *snap,
                             void (*fn)(void *ctx, const char *id, const cs_member_state_t *m),
                             void *ctx) {
  if (!snap || !snap->finished || !fn) return;
  char id[CS__ID_INLINE + 1];
  for (size_t i = 0; i < snap->members.n; i++) {
    const cs__identry_t *e = &snap->members.entries[i];
    const char *key = cs__identry_key(e);
    if (e->len <= CS__ID_INLINE) { /* inline ids are not NUL-terminated */
      memcpy(id, key, e->len);
      id[e->len] = '\0';
      key = id;
    }
    fn(ctx, key, &snap->states[i]);
  }
}
