/* sqlite_write.c — appending facts to the SQLite ledger.
 *
 * Every put first claims the fact's key (member id, record id, version, fact
 * id, or for facts without an id a hash of their content) with an INSERT OR
 * IGNORE; a key already present means the fact is known and the put is a
 * no-op. Seqs are handed out from the in-memory counter loaded at begin and
 * written back at commit, and only for facts actually inserted, so seq order
 * is ingest order with no gaps caused by duplicates.
 *
 * If a later step of a put fails, the key row it claimed is deleted again so
 * the failed call leaves the transaction as it found it.
 */
#define XXH_STATIC_LINKING_ONLY
#include <string.h>
#include <xxhash.h>

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
  int err = rc == SQLITE_DONE ? CS_OK : cs__sqlite_fail(q, diag, "write");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return err;
}

static void hash_str(XXH3_state_t *h, const char *s) {
  XXH3_128bits_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

/* The dedup key of a fact without an id: a 128-bit hash of everything the
 * fact says (type, member, time, payload), so replaying the same file is a
 * no-op even when its facts carry no ids. */
static XXH128_canonical_t content_hash(const cs_fact_t *f) {
  XXH3_state_t h;
  unsigned char head[9];
  uint64_t at = (uint64_t)f->at;
  head[0] = (unsigned char)f->type;
  for (int i = 0; i < 8; i++) head[1 + i] = (unsigned char)(at >> (8 * i));
  XXH3_128bits_reset(&h);
  XXH3_128bits_update(&h, head, sizeof head);
  hash_str(&h, f->member);
  char code[3] = "";
  unsigned char flags[2] = {0, 0};
  if (f->type == CS_FACT_LOCATION) {
    cs_country_str(f->u.location.country, code);
    hash_str(&h, code);
  } else if (f->type == CS_FACT_SETTING) {
    hash_str(&h, f->u.setting.setting);
    flags[0] = f->u.setting.value;
  } else if (f->type == CS_FACT_OBJECTION) {
    hash_str(&h, f->u.objection.purpose);
    flags[0] = f->u.objection.withdrawn;
    flags[1] = f->u.objection.reason != NULL;
    hash_str(&h, f->u.objection.reason);
  }
  XXH3_128bits_update(&h, flags, sizeof flags);
  XXH128_canonical_t out;
  XXH128_canonicalFromHash(&out, XXH3_128bits_digest(&h));
  return out;
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
  st = q->st[ST_MFACT_INS];
  bind_text(st, 1, f->member);
  sqlite3_bind_int64(st, 2, f->at);
  sqlite3_bind_int64(st, 3, seq);
  sqlite3_bind_int(st, 4, CS_FACT_MEMBER);
  bind_country(st, 6, f->u.member.country);
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

/* Binds the payload columns (country, name, value, reason) of a member fact. */
static void bind_payload(sqlite3_stmt *st, const cs_fact_t *f) {
  switch (f->type) {
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

/* Claims the dedup key of a location/setting/objection/account_closed fact. */
static int claim_key(cs_sqlite_t *q, const cs_fact_t *f, const XXH128_canonical_t *hash,
                     bool *out_new, cs_diag_t *diag) {
  if (f->fact_id) {
    bind_text(q->st[ST_FACTID_INS], 1, f->fact_id);
    return run(q, ST_FACTID_INS, out_new, diag);
  }
  sqlite3_bind_blob(q->st[ST_HASH_INS], 1, hash->digest, sizeof hash->digest, SQLITE_STATIC);
  return run(q, ST_HASH_INS, out_new, diag);
}

static void release_key(cs_sqlite_t *q, const cs_fact_t *f, const XXH128_canonical_t *hash) {
  if (f->fact_id) {
    bind_text(q->st[ST_FACTID_DEL], 1, f->fact_id);
    (void)run(q, ST_FACTID_DEL, NULL, NULL);
  } else {
    sqlite3_bind_blob(q->st[ST_HASH_DEL], 1, hash->digest, sizeof hash->digest, SQLITE_STATIC);
    (void)run(q, ST_HASH_DEL, NULL, NULL);
  }
}

static int put_member_fact(cs_sqlite_t *q, const cs_fact_t *f, bool *out_inserted,
                           cs_diag_t *diag) {
  XXH128_canonical_t hash = {{0}};
  if (!f->fact_id) hash = content_hash(f);
  int rc = claim_key(q, f, &hash, out_inserted, diag);
  if (rc < 0 || !*out_inserted) return rc;
  int64_t seq = q->seq + 1;
  sqlite3_stmt *st = q->st[ST_MFACT_INS];
  bind_text(st, 1, f->member);
  sqlite3_bind_int64(st, 2, f->at);
  sqlite3_bind_int64(st, 3, seq);
  sqlite3_bind_int(st, 4, f->type);
  bind_text(st, 5, f->fact_id);
  bind_payload(st, f);
  rc = run(q, ST_MFACT_INS, NULL, diag);
  if (rc == CS_OK) {
    q->seq = seq;
    return CS_OK;
  }
  release_key(q, f, &hash);
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
  switch (f->type) {
  case CS_FACT_MEMBER:
    return put_member(q, f, out_inserted, diag);
  case CS_FACT_LOCATION:
  case CS_FACT_SETTING:
  case CS_FACT_OBJECTION:
  case CS_FACT_ACCOUNT_CLOSED:
    return put_member_fact(q, f, out_inserted, diag);
  case CS_FACT_CONTENT_DELETED:
    return put_deletion(q, f, out_inserted, diag);
  case CS_FACT_POLICY:
    return put_policy(q, f, out_inserted, diag);
  }
  return cs_diag_set(diag, CS_EINVAL, "store: unknown fact type %d", (int)f->type);
}
