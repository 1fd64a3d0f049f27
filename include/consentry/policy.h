/* policy.h — purposes, jurisdiction rules and the eligibility decision.
 *
 * This is the one place the privacy rules of DESIGN.md live:
 *  - cs_config_t: the purposes (kinds, visibilities, redaction, member control)
 *    and each purpose's jurisdiction rule per country; built in, or loaded
 *    from a human-readable INI file that overrides the built-in defaults.
 *  - cs_member_state_t: one member's facts folded "as of T".
 *  - cs_eligibility_decide: a pure function (state, record, purpose, T) ->
 *    reason, applying the rules in the order DESIGN.md lists them.
 *  - cs_snapshot_t: every member's state as of T, indexed by member id, plus
 *    the set of records deleted by T; what the gate consults per record.
 *
 * Thread safety: configs and snapshots are immutable once built and may be
 * shared by any number of threads; the decide functions are pure.
 */
#ifndef CONSENTRY_POLICY_H
#define CONSENTRY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <consentry/country.h>
#include <consentry/error.h>
#include <consentry/fact.h>
#include <consentry/time.h>

typedef struct cs_store cs_store_t;

/* ---- Kinds and visibilities of content records ------------------------- */

typedef enum {
  CS_KIND_POST,
  CS_KIND_ARTICLE,
  CS_KIND_COMMENT,
  CS_KIND_MESSAGE,
  CS_KIND_PROFILE,
  CS_KIND_FEEDBACK,
  CS_KIND_AI_PROMPT,
  CS_N_KINDS
} cs_kind_t;

typedef enum { CS_VIS_PUBLIC, CS_VIS_CONNECTIONS, CS_VIS_PRIVATE, CS_N_VIS } cs_visibility_t;

CS_MUST_USE int cs_kind_parse(const char *s, size_t len, cs_kind_t *out);
const char *cs_kind_name(cs_kind_t k); /* "post", ..., "ai_prompt" */
CS_MUST_USE int cs_visibility_parse(const char *s, size_t len, cs_visibility_t *out);
const char *cs_visibility_name(cs_visibility_t v);

/* ---- Configuration ------------------------------------------------------ */

typedef enum { CS_RULE_EXCLUDED, CS_RULE_OPT_OUT, CS_RULE_OPT_IN, CS_RULE_ALLOWED } cs_rule_t;
const char *cs_rule_name(cs_rule_t r); /* "excluded", "opt_out", "opt_in", "allowed" */

#define CS_MAX_PURPOSES 32
#define CS_MAX_SETTINGS 8
#define CS_NAME_MAX 48

typedef struct {
  char name[CS_NAME_MAX];          /* [a-z0-9_]+ */
  uint32_t kinds;                  /* bit (1u << cs_kind_t) per allowed kind */
  uint32_t visibilities;           /* bit (1u << cs_visibility_t) per allowed visibility */
  bool redaction;                  /* text must be redacted before use */
  int setting;                     /* index into settings[] controlling it; -1: none */
  uint8_t rule[CS_COUNTRY_SLOTS];  /* cs_rule_t by country; [CS_COUNTRY_NONE] is EXCLUDED */
} cs_purpose_t;

typedef struct {
  cs_purpose_t purposes[CS_MAX_PURPOSES];
  size_t n_purposes;
  char settings[CS_MAX_SETTINGS][CS_NAME_MAX]; /* setting names, e.g. "genai_training" */
  size_t n_settings;
  cs_time_t notice;                /* minimum policy notice period (default 30 days) */
} cs_config_t;

/* The built-in purposes of DESIGN.md: genai_training (EU27+IS+LI+NO+CH
 * excluded, opt-out elsewhere), personalization and moderation. */
CS_MUST_USE int cs_config_default(cs_config_t **out);
/* Starts from the defaults and applies the INI file at path (format in
 * docs/CONFIG.md); errors say "PATH:LINE: key: expected ...". */
CS_MUST_USE int cs_config_load(const char *path, cs_config_t **out, cs_diag_t *diag);
void cs_config_free(cs_config_t *cfg);

/* Index of the purpose / setting named name, or CS_ENOTFOUND. */
CS_MUST_USE int cs_config_purpose(const cs_config_t *cfg, const char *name, size_t *out);
CS_MUST_USE int cs_config_setting(const cs_config_t *cfg, const char *name, size_t *out);

/* The rule for purpose p in country c (CS_COUNTRY_NONE: EXCLUDED). */
cs_rule_t cs_config_rule(const cs_config_t *cfg, size_t p, cs_country_t c);

/* Writes the config in canonical INI form (loading it back gives the same
 * config), and its SHA-256 over that form as 64 hex digits + NUL. */
CS_MUST_USE int cs_config_write(const cs_config_t *cfg, FILE *out);
CS_MUST_USE int cs_config_hash(const cs_config_t *cfg, char out_hex[65]);

/* ---- Reasons ------------------------------------------------------------ */

typedef enum {
  CS_REASON_INCLUDED = 0,
  CS_REASON_FUTURE_RECORD,
  CS_REASON_UNKNOWN_MEMBER,
  CS_REASON_ACCOUNT_CLOSED,
  CS_REASON_DELETED,
  CS_REASON_KIND,
  CS_REASON_VISIBILITY,
  CS_REASON_JURISDICTION,
  CS_REASON_JURISDICTION_AT_CREATION,
  CS_REASON_MINOR,
  CS_REASON_OPTED_OUT,
  CS_REASON_NOT_OPTED_IN,
  CS_REASON_OBJECTED,
  CS_N_REASONS
} cs_reason_t;

const char *cs_reason_name(cs_reason_t r); /* "INCLUDED", "FUTURE_RECORD", ... */

/* ---- A member as of T ----------------------------------------------------- */

typedef struct {
  cs_time_t at;
  int64_t seq;
  cs_country_t country;
} cs_country_at_t;

typedef struct {
  bool known;                     /* a member fact with joined_at <= T exists */
  cs_time_t joined_at;
  cs_time_t closed_at;            /* earliest account_closed <= T, else CS_TIME_NEVER */
  int32_t birth_days;             /* CS_NO_DATE when unknown (treated as adult) */
  const cs_country_at_t *countries; /* ascending by (at, seq), all <= T; the member
                                       fact's country at joined_at is one of them */
  size_t n_countries;
  int8_t setting[CS_MAX_SETTINGS];  /* last value <= T: -1 never set, 0 false, 1 true */
  uint32_t objected;              /* bit p: an objection to purpose p is active at T */
} cs_member_state_t;

/* Folds one member's facts (any order; equal times apply in seq order) into
 * their state as of T: facts after T are ignored; a location is in force from
 * its at; the member fact's country from joined_at. countries_buf must have
 * room for n entries; out->countries points into it. Settings and purposes
 * not in cfg are ignored. Pure. */
void cs_member_state_fold(const cs_fact_t *facts, size_t n, cs_time_t T, const cs_config_t *cfg,
                          cs_country_at_t *countries_buf, cs_member_state_t *out);

/* The member's country at instant t: the last entry with at <= t, or
 * CS_COUNTRY_NONE. */
cs_country_t cs_member_country_at(const cs_member_state_t *m, cs_time_t t);

/* The record-independent rules for purpose p at T, in DESIGN.md's order:
 * UNKNOWN_MEMBER, ACCOUNT_CLOSED, JURISDICTION, OPTED_OUT, NOT_OPTED_IN,
 * OBJECTED; INCLUDED when all hold. m may be NULL (unknown member). */
cs_reason_t cs_eligibility_member(const cs_member_state_t *m, const cs_config_t *cfg, size_t p,
                                  cs_time_t T);

/* What the rules need to know about one content record. */
typedef struct {
  cs_time_t created_at;
  cs_kind_t kind;
  cs_visibility_t visibility;
  bool deleted; /* a content_deleted fact for it has at <= T */
} cs_record_facts_t;

/* The whole decision for one record: the first failing reason in DESIGN.md's
 * order, or CS_REASON_INCLUDED. m NULL means no member fact exists. Pure. */
cs_reason_t cs_eligibility_decide(const cs_member_state_t *m, const cs_record_facts_t *r,
                                  const cs_config_t *cfg, size_t p, cs_time_t T);

/* ---- Snapshot: every member as of T ---------------------------------------- */

typedef struct cs_snapshot cs_snapshot_t;

/* Builds a snapshot from facts pushed one at a time: member facts must arrive
 * grouped by member (as cs_store_each_member_fact delivers them), deletions
 * in any order. Strings are copied. */
CS_MUST_USE int cs_snapshot_new(const cs_config_t *cfg, cs_time_t T, cs_snapshot_t **out);
CS_MUST_USE int cs_snapshot_add(cs_snapshot_t *snap, const cs_fact_t *f);
CS_MUST_USE int cs_snapshot_finish(cs_snapshot_t *snap);

/* new + every fact of the store as of T + finish. cfg is borrowed for the
 * snapshot's lifetime. */
CS_MUST_USE int cs_snapshot_load(cs_store_t *store, const cs_config_t *cfg, cs_time_t T,
                                 cs_snapshot_t **out, cs_diag_t *diag);
void cs_snapshot_free(cs_snapshot_t *snap);

/* The member's state, or NULL if the snapshot has no member fact for them. */
const cs_member_state_t *cs_snapshot_member(const cs_snapshot_t *snap, const char *id,
                                            size_t id_len);
bool cs_snapshot_deleted(const cs_snapshot_t *snap, const char *record_id, size_t len);

/* The same answers as cs_snapshot_member and cs_snapshot_deleted for n
 * records at once; the lookups' cache misses overlap, which is most of the
 * gate's time with a million members. */
void cs_snapshot_lookup_many(const cs_snapshot_t *snap, const char *const *member_ids,
                             const size_t *member_lens, const char *const *record_ids,
                             const size_t *record_lens, size_t n,
                             const cs_member_state_t **out_members, bool *out_deleted);
size_t cs_snapshot_n_members(const cs_snapshot_t *snap);
cs_time_t cs_snapshot_as_of(const cs_snapshot_t *snap);

/* Calls fn for every known member (joined by T) in unspecified order. */
void cs_snapshot_each_member(const cs_snapshot_t *snap,
                             void (*fn)(void *ctx, const char *id, const cs_member_state_t *m),
                             void *ctx);

#endif
