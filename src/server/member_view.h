/* member_view.h — what the member routes show about one member (internal).
 *
 * The standing (jurisdiction, rule, setting, objections in force) comes from
 * cs_consent_show, the same function `consentry consent show` prints, so the
 * page and the CLI cannot disagree; the objection form's details (the reason
 * given, when) come from the member's last objection fact per purpose.
 */
#ifndef CS_SERVER_MEMBER_VIEW_H
#define CS_SERVER_MEMBER_VIEW_H

#include "ledger/fact_json.h"
#include "server/server_int.h"

#define CS__REASON_CHARS 1000 /* the objection form's limit, in characters */

typedef struct {
  bool any;      /* some objection fact exists for the purpose */
  cs_time_t at;  /* the last one's time */
  char reason[CS_FACT_REASON_MAX + 1]; /* its reason; empty if none */
} cs__objection_view_t;

typedef struct {
  cs_consent_status_t st;
  char country[3]; /* "" when unknown */
  cs_rule_t rule;  /* genai_training's rule there */
  bool offered;
  int8_t recorded; /* -1 never set, 0, 1 */
  bool closed;
  cs__objection_view_t obj[CS_MAX_PURPOSES];
} cs__member_view_t;

/* Reads the member's view as of now on s; objections only when with_obj. */
CS_MUST_USE int cs__member_view(cs_server_t *srv, cs_store_t *s, const char *member, bool with_obj,
                                cs__member_view_t *out, cs_diag_t *diag);
/* SETTING (docs/API.md) for value recorded (-1 never set). */
CS_MUST_USE int cs__put_setting(cs_buf_t *b, const char *country, cs_rule_t rule, bool offered,
                                int8_t recorded);
/* The sentence SETTING's "explanation" holds. */
void cs__setting_explanation(const char *country, cs_rule_t rule, char *out, size_t cap);

#endif
