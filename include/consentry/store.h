/* store.h — the ledger's storage interface.
 *
 * Every read and write of the ledger goes through these functions, which
 * dispatch to a backend: SQLite (the embedded default: a file path) and, later,
 * PostgreSQL (a "postgres://" URI). Callers never see SQL.
 *
 * Transactions: writes happen only between cs_store_begin and cs_store_commit
 * (or cs_store_rollback); a command is one transaction. Reads may happen in or
 * out of one.
 *
 * Iteration: the cs_store_each_* functions call back once per row; the fact
 * passed to the callback and its strings are valid only during the call. A
 * non-zero callback return stops the scan and is returned as is.
 *
 * Thread safety: a cs_store_t is used by one thread at a time; open one per
 * thread for concurrency (SQLite runs in WAL mode, so readers do not block the
 * writer).
 */
#ifndef CONSENTRY_STORE_H
#define CONSENTRY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>
#include <consentry/fact.h>

typedef struct cs_store cs_store_t;

/* Opens (creating if needed) the ledger at uri and migrates its schema to the
 * current version. A ledger written by a newer consentry is CS_ESCHEMA. */
CS_MUST_USE int cs_store_open(const char *uri, cs_store_t **out, cs_diag_t *diag);
void cs_store_close(cs_store_t *s);

/* The schema version the ledger is at after open. */
int cs_store_schema_version(cs_store_t *s);

CS_MUST_USE int cs_store_begin(cs_store_t *s, cs_diag_t *diag);
/* A read-only snapshot across several reads: they all see one state of the
 * ledger, and the backend takes its read lock once instead of per query.
 * No writes in between; end with cs_store_read_end. */
CS_MUST_USE int cs_store_read_begin(cs_store_t *s, cs_diag_t *diag);
void cs_store_read_end(cs_store_t *s);
CS_MUST_USE int cs_store_commit(cs_store_t *s, cs_diag_t *diag);
void cs_store_rollback(cs_store_t *s);

/* Write-ahead-log upkeep for a long-lived writer. By default a commit that
 * grows the log past a threshold also copies the log into the database file
 * (a checkpoint), so now and then one commit is slow. A writer that must
 * answer quickly turns that off and has another connection to the same
 * ledger call cs_store_checkpoint periodically: it copies what it can
 * without waiting for readers or the writer, and *out_pages (may be NULL)
 * says how many pages the log held. Neither may run inside a transaction. */
CS_MUST_USE int cs_store_set_autocheckpoint(cs_store_t *s, bool on, cs_diag_t *diag);
CS_MUST_USE int cs_store_checkpoint(cs_store_t *s, int64_t *out_pages, cs_diag_t *diag);

/* Appends a fact (which the caller has validated) and assigns its seq.
 * A fact whose key is already in the ledger is skipped: *out_inserted false
 * and nothing changes. Keys: member id (member), record id (content_deleted),
 * version (policy), fact_id when present (the others). A location, setting,
 * objection or account_closed fact without a fact_id is skipped when an
 * identical one (same member, at, type and payload) is stored, so replaying
 * a file is a no-op with or without ids. A fact about a member the ledger
 * does not have (not even earlier in this transaction) is CS_ENOTFOUND.
 * A content_deleted fact for a record already deleted counts (inserted) only
 * when its time is earlier: a record is deleted from the earliest time any
 * fact says so. out_inserted may be NULL. */
CS_MUST_USE int cs_store_put_fact(cs_store_t *s, const cs_fact_t *f, bool *out_inserted,
                                  cs_diag_t *diag);

typedef int (*cs_fact_cb)(void *ctx, const cs_fact_t *f);

/* The member fact for id, through cb (once), or CS_ENOTFOUND. */
CS_MUST_USE int cs_store_get_member(cs_store_t *s, const char *id, cs_fact_cb cb, void *ctx,
                                    cs_diag_t *diag);

/* Member, location, setting, objection and account_closed facts with
 * at <= as_of, for one member (member != NULL) or all, ordered by
 * (member, at, seq) so that each member's facts arrive together. */
CS_MUST_USE int cs_store_each_member_fact(cs_store_t *s, const char *member, cs_time_t as_of,
                                          cs_fact_cb cb, void *ctx, cs_diag_t *diag);

/* content_deleted facts with at <= as_of (any order). */
CS_MUST_USE int cs_store_each_deletion(cs_store_t *s, cs_time_t as_of, cs_fact_cb cb, void *ctx,
                                       cs_diag_t *diag);

/* Every policy fact, ordered by (effective_at, seq). */
CS_MUST_USE int cs_store_each_policy(cs_store_t *s, cs_fact_cb cb, void *ctx, cs_diag_t *diag);

/* ---- Lineage: what used whose data ------------------------------------ */

/* A dataset build or a training run, as registered in the ledger. Strings
 * are borrowed (in a callback: valid only during the call). */
typedef struct {
  const char *id;             /* unique: a dataset's manifest root, a run's id */
  const char *kind;           /* "dataset" or "training_run" */
  const char *purpose;
  const char *policy_version; /* the policy that covered the purpose at as_of */
  const char *parent;         /* a run's dataset id; NULL for a dataset */
  const char *location;       /* the directory it was written to */
  const char *digest;         /* SHA-256 (hex) of its manifest or checkpoint */
  cs_time_t as_of;
  cs_time_t created_at;
  int64_t records, members, tokens;
  const char *details;        /* JSON object with anything else (shards, config, losses); NULL */
} cs_lineage_t;

typedef struct {
  const char *member;
  int64_t records; /* how many of the member's records it used */
} cs_lineage_member_t;

/* Registers a dataset or run with the members it included, in the caller's
 * transaction. Ids are content hashes, so an id already registered is the
 * same dataset built again: the call changes nothing and succeeds. */
CS_MUST_USE int cs_store_put_lineage(cs_store_t *s, const cs_lineage_t *l,
                                     const cs_lineage_member_t *members, size_t n_members,
                                     cs_diag_t *diag);

typedef int (*cs_lineage_cb)(void *ctx, const cs_lineage_t *l, int64_t member_records);

/* One registered entry through cb (member_records 0), or CS_ENOTFOUND. */
CS_MUST_USE int cs_store_get_lineage(cs_store_t *s, const char *id, cs_lineage_cb cb, void *ctx,
                                     cs_diag_t *diag);
/* Every entry that used the member's data, oldest first, with how many of
 * their records it used: "how my data was used". */
CS_MUST_USE int cs_store_each_member_lineage(cs_store_t *s, const char *member, cs_lineage_cb cb,
                                             void *ctx, cs_diag_t *diag);
/* The members of one entry, in member id order. */
CS_MUST_USE int cs_store_each_lineage_member(cs_store_t *s, const char *id,
                                             int (*cb)(void *ctx, const char *member,
                                                       int64_t records),
                                             void *ctx, cs_diag_t *diag);

typedef struct {
  int64_t members, locations, settings, objections, policies, deletions, closures;
} cs_store_counts_t;

CS_MUST_USE int cs_store_counts(cs_store_t *s, cs_store_counts_t *out, cs_diag_t *diag);

/* The seq of the last fact inserted in the open transaction (0 if none yet
 * in this ledger). Lets a caller tell a member which fact holds their change. */
int64_t cs_store_last_seq(cs_store_t *s);

/* ---- Member sign-in tokens ------------------------------------------------ */

/* Stores the SHA-256 of a sign-in token for a known member (CS_ENOTFOUND
 * otherwise), in the caller's transaction. The token itself is never stored. */
CS_MUST_USE int cs_store_token_put(cs_store_t *s, const uint8_t hash[32], const char *member,
                                   cs_time_t created, cs_diag_t *diag);
/* The member a (not revoked) token hash signs in, copied into out_member
 * (cap bytes, NUL-terminated), or CS_ENOTFOUND. The stored hash is compared
 * with the one given in constant time. */
CS_MUST_USE int cs_store_token_lookup(cs_store_t *s, const uint8_t hash[32], char *out_member,
                                      size_t cap, cs_diag_t *diag);
/* Revokes every token of member as of at, in the caller's transaction;
 * *out_n (may be NULL) is how many were revoked. */
CS_MUST_USE int cs_store_token_revoke(cs_store_t *s, const char *member, cs_time_t at,
                                      int64_t *out_n, cs_diag_t *diag);

#endif
