/* ledger.h — what the ledger does with facts: ingest, policy, consent.
 *
 * These functions validate user input strictly (RFC 3339 times, ISO 3166-1
 * countries, known purposes and settings, JSON booleans, required fields) and
 * write through the store interface. None of them opens a transaction: the
 * caller brackets a whole command in cs_store_begin/commit, so a failure
 * anywhere leaves the ledger as it was.
 *
 * Thread safety: as for the store passed in.
 */
#ifndef CONSENTRY_LEDGER_H
#define CONSENTRY_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <consentry/error.h>
#include <consentry/fact.h>
#include <consentry/policy.h>
#include <consentry/store.h>

typedef struct {
  int64_t lines;    /* fact lines read (blank lines are skipped, not counted) */
  int64_t inserted; /* facts written */
  int64_t skipped;  /* facts whose key was already in the ledger */
} cs_ingest_stats_t;

/* Validates and stores every fact of a JSONL file ("-" is stdin; ".zst" is
 * decompressed). The first bad line stops it with CS_EINVAL and
 * "FILE:LINE: field: what was expected" in diag; the caller rolls back.
 * Stats are added to *stats. */
CS_MUST_USE int cs_ledger_ingest(cs_store_t *s, const cs_config_t *cfg, const char *path,
                                 cs_ingest_stats_t *stats, cs_diag_t *diag);

/* Records a policy version. CS_EREFUSED (with the earliest allowed effective
 * time in diag) if effective < published + cfg->notice; CS_EINVAL for an
 * unknown purpose or a version already published. purposes_csv: "a,b". */
CS_MUST_USE int cs_policy_publish(cs_store_t *s, const cs_config_t *cfg, const char *version,
                                  const char *purposes_csv, cs_time_t published,
                                  cs_time_t effective, cs_diag_t *diag);

/* The newest policy version (by effective_at) listing purpose with
 * effective_at <= T, copied into out_version; CS_EREFUSED with an explanation
 * (and the next policy's effective time, if one is scheduled) when none. */
CS_MUST_USE int cs_policy_covering(cs_store_t *s, const char *purpose, cs_time_t T,
                                   char *out_version, size_t cap, cs_diag_t *diag);

/* Records a setting for a known member. Settings for members in a
 * jurisdiction where the setting is not offered are recorded all the same
 * (they count if the member moves); *out_effective says whether it has any
 * effect at `at` (NULL allowed). */
CS_MUST_USE int cs_consent_set(cs_store_t *s, const cs_config_t *cfg, const char *member,
                               const char *setting, bool value, cs_time_t at,
                               bool *out_effective, cs_diag_t *diag);

/* Records an objection to purpose (or its withdrawal) for a known member;
 * reason is optional free text. */
CS_MUST_USE int cs_objection_put(cs_store_t *s, const cs_config_t *cfg, const char *member,
                                 const char *purpose, bool withdraw, const char *reason,
                                 cs_time_t at, cs_diag_t *diag);

typedef struct {
  bool allowed;
  cs_reason_t reason;   /* INCLUDED when allowed, else the first failing rule */
  cs_rule_t rule;       /* the purpose's rule in the member's jurisdiction at T */
} cs_purpose_status_t;

typedef struct {
  bool known;                     /* the member exists with joined_at <= T */
  cs_country_t country;           /* jurisdiction at T */
  int8_t setting[CS_MAX_SETTINGS];/* -1 never set, 0 off, 1 on (as recorded) */
  bool offered[CS_MAX_SETTINGS];  /* the setting controls some purpose there */
  uint32_t objected;              /* bit per purpose */
  cs_purpose_status_t purposes[CS_MAX_PURPOSES]; /* in cfg order */
} cs_consent_status_t;

/* A member's standing for every purpose as of T. CS_ENOTFOUND if the ledger
 * has no member fact for them at all. */
CS_MUST_USE int cs_consent_show(cs_store_t *s, const cs_config_t *cfg, const char *member,
                                cs_time_t T, cs_consent_status_t *out, cs_diag_t *diag);
/* The same, and each of the member's facts as of T (member, location,
 * setting, objection, account_closed; by (at, seq)) through each, from the
 * same scan: for callers that show more than the standing, such as the
 * objection form's reasons. A non-zero return from each stops and is
 * returned. */
CS_MUST_USE int cs_consent_show_each(cs_store_t *s, const cs_config_t *cfg, const char *member,
                                     cs_time_t T, cs_consent_status_t *out, cs_fact_cb each,
                                     void *ctx, cs_diag_t *diag);

#endif
