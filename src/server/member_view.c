/* member_view.c — one member's standing as the member routes show it. */
#include <string.h>

#include "server/member_view.h"

typedef struct {
  const cs_config_t *cfg;
  cs__member_view_t *v;
} obj_scan_t;

/* Facts arrive by (at, seq): the last objection fact per purpose wins. */
static int objection_fact(void *ctx, const cs_fact_t *f) {
  obj_scan_t *o = ctx;
  size_t p;
  if (f->type != CS_FACT_OBJECTION || !f->u.objection.purpose ||
      cs_config_purpose(o->cfg, f->u.objection.purpose, &p) < 0)
    return 0;
  cs__objection_view_t *ov = &o->v->obj[p];
  ov->any = true;
  ov->at = f->at;
  snprintf(ov->reason, sizeof ov->reason, "%s",
           !f->u.objection.withdrawn && f->u.objection.reason ? f->u.objection.reason : "");
  return 0;
}

int cs__member_view(cs_server_t *srv, cs_store_t *s, const char *member, bool with_obj,
                    cs__member_view_t *out, cs_diag_t *diag) {
  cs_time_t now;
  int rc = cs_time_now(&now);
  if (rc < 0) return cs_diag_set(diag, rc, "clock: cannot read the time");
  obj_scan_t o = {srv->cfg, out};
  if (with_obj)
    for (size_t p = 0; p < srv->cfg->n_purposes; p++) out->obj[p].any = false;
  rc = cs_consent_show_each(s, srv->cfg, member, now, &out->st, with_obj ? objection_fact : NULL,
                            &o, diag);
  if (rc < 0) return rc;
  cs_country_str(out->st.country, out->country);
  out->rule = out->st.purposes[srv->genai].rule;
  out->offered = out->st.offered[srv->genai_setting];
  out->recorded = out->st.setting[srv->genai_setting];
  out->closed = out->st.purposes[srv->genai].reason == CS_REASON_ACCOUNT_CLOSED;
  return CS_OK;
}

void cs__setting_explanation(const char *country, cs_rule_t rule, char *out, size_t cap) {
  const char *where = country[0] ? country : "an unknown country";
  switch (rule) {
  case CS_RULE_OPT_OUT:
    snprintf(out, cap,
             "In %s this setting is on unless you turn it off: your public and connections-only "
             "posts, articles, comments and profile may be used, after personal data is redacted, "
             "to train content-creation AI models. Turning it off keeps all of your data, earlier "
             "posts included, out of every later training dataset.",
             where);
    break;
  case CS_RULE_OPT_IN:
    snprintf(out, cap,
             "In %s your data is used to train content-creation AI models only if you turn this "
             "setting on; it is off until you do.",
             where);
    break;
  case CS_RULE_ALLOWED:
    snprintf(out, cap,
             "In %s this use does not depend on the setting; an objection (the Data Processing "
             "Objection Form) excludes your data.",
             where);
    break;
  default:
    snprintf(out, cap,
             "Not offered in %s: members' data there is never used to train content-creation AI "
             "models, so there is nothing to choose.",
             country[0] ? country : "your jurisdiction (your country is unknown, which counts as"
                                    " excluded)");
    break;
  }
}

int cs__put_setting(cs_buf_t *b, const char *country, cs_rule_t rule, bool offered,
                    int8_t recorded) {
  bool value = offered && (recorded >= 0 ? recorded == 1 : rule == CS_RULE_OPT_OUT);
  char expl[512];
  cs__setting_explanation(country, rule, expl, sizeof expl);
  int rc = cs_buf_printf(b, "{\"value\":%s,\"offered\":%s,\"jurisdiction\":",
                         value ? "true" : "false", offered ? "true" : "false");
  if (rc == CS_OK) rc = country[0] ? cs_buf_printf(b, "\"%s\"", country) : cs_buf_puts(b, "null");
  if (rc == CS_OK) rc = cs_buf_printf(b, ",\"rule\":\"%s\",\"explanation\":", cs_rule_name(rule));
  if (rc == CS_OK) rc = cs_buf_put_json_str(b, expl, strlen(expl));
  if (rc == CS_OK) rc = cs_buf_puts(b, "}");
  return rc;
}
