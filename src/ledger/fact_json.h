/* fact_json.h — one JSONL fact line to a cs_fact_t (internal).
 *
 * Validation is strict and speaks through the jfield helpers, so every error
 * reads "FILE:LINE: field: what was expected". Unknown fields are ignored
 * (newer producers may add some). The fact borrows its strings from the JSON
 * object, except the policy's purpose list, which is normalised into buf.
 */
#ifndef CS_LEDGER_FACT_JSON_H
#define CS_LEDGER_FACT_JSON_H

#include <json-c/json.h>

#include <consentry/fact.h>
#include <consentry/policy.h>

#include "core/jfield.h"

#define CS_FACT_REASON_MAX 4096 /* bytes of an objection's free-text reason */

typedef struct {
  char purposes[CS_MAX_PURPOSES * CS_NAME_MAX]; /* "a,b": a policy's purposes */
} cs_fact_buf_t;

/* Fills *out from the object o; CS_EINVAL with the standard message when a
 * field is missing or wrong. out is untouched on failure. */
CS_MUST_USE int cs__fact_from_json(const cs_jctx_t *c, json_object *o, const cs_config_t *cfg,
                                   cs_fact_buf_t *buf, cs_fact_t *out);

/* "a, b, c": the names cfg knows, for messages. */
void cs__config_purpose_list(const cs_config_t *cfg, char *out, size_t cap);
void cs__config_setting_list(const cs_config_t *cfg, char *out, size_t cap);

/* Checks the notice period: CS_OK if effective >= published + cfg->notice,
 * else CS_EREFUSED with *out_earliest set to the earliest allowed time. */
CS_MUST_USE int cs__policy_notice_ok(const cs_config_t *cfg, cs_time_t published,
                                     cs_time_t effective, cs_time_t *out_earliest);

/* Does the comma-separated list hold the n-byte name as a whole item? */
bool cs__csv_has(const char *list, const char *name, size_t n);

/* "30 days" or "3600 seconds": the notice period, for messages. */
void cs__notice_str(const cs_config_t *cfg, char *out, size_t cap);

#endif
