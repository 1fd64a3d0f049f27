/* fact.h — the facts of the privacy model (DESIGN.md, "The privacy model").
 *
 * A fact is one typed event about a member or about policy. The ledger keeps
 * them in ingest order (seq); rules read them "as of T" by time, ties broken
 * by seq. cs_fact_t is a borrowed view: its strings belong to whoever filled
 * it in (a parsed JSON object, a store row) and live as long as that does.
 */
#ifndef CONSENTRY_FACT_H
#define CONSENTRY_FACT_H

#include <stdbool.h>
#include <stdint.h>

#include <consentry/country.h>
#include <consentry/time.h>

typedef enum {
  CS_FACT_MEMBER = 1,      /* a member joins (at = joined_at) */
  CS_FACT_LOCATION,        /* profile location changes */
  CS_FACT_SETTING,         /* a setting such as genai_training is set */
  CS_FACT_OBJECTION,       /* an objection to a purpose, or its withdrawal */
  CS_FACT_POLICY,          /* a policy version (at = effective_at) */
  CS_FACT_CONTENT_DELETED, /* a content record is deleted */
  CS_FACT_ACCOUNT_CLOSED   /* the account is closed */
} cs_fact_type_t;

typedef struct {
  cs_fact_type_t type;
  int64_t seq;          /* ingest order, assigned by the store (0 before) */
  const char *fact_id;  /* the optional "id" of location, setting, objection and
                           account_closed facts; NULL when absent. The member id,
                           the deleted record id and the policy version are the
                           natural keys of the other three types. */
  const char *member;   /* the member concerned; NULL for policy */
  cs_time_t at;         /* when it takes effect: joined_at, effective_at or at */
  union {
    struct {
      const char *name, *handle, *email;
      cs_country_t country;
      int32_t birth_days; /* CS_NO_DATE when absent */
    } member;
    struct {
      cs_country_t country;
    } location;
    struct {
      const char *setting; /* a setting name known to the config */
      bool value;
    } setting;
    struct {
      const char *purpose; /* a purpose name known to the config */
      bool withdrawn;
      const char *reason;  /* optional free text from the objection form; NULL */
    } objection;
    struct {
      const char *version;
      const char *purposes; /* comma-separated purpose names, no spaces */
      cs_time_t published_at;
    } policy;
    struct {
      const char *record; /* the deleted content record's id */
    } deleted;
  } u;
} cs_fact_t;

/* "member", "location", ... as in the JSONL "type" field; NULL if unknown. */
const char *cs_fact_type_name(cs_fact_type_t t);

#endif
