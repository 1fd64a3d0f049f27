/* fact_json.c — strict parsing of JSONL facts (see fact_json.h and the fact
 * list in DESIGN.md, "The privacy model").
 *
 * One parser per fact type, picked by the "type" field from a table. Each
 * fills a local cs_fact_t and copies it out only when every field passed, so
 * a bad line leaves *out untouched.
 */
#include <string.h>

#include "ledger/fact_json.h"

typedef struct {
  const cs_jctx_t *c;
  json_object *o;
  const cs_config_t *cfg;
  cs_fact_buf_t *buf;
} src_t;

/* The optional "id" of location, setting, objection and account_closed. */
static int fact_id(const src_t *s, cs_fact_t *f) {
  return cs_jf_ident(s->c, s->o, "id", false, &f->fact_id);
}

static int member_and_time(const src_t *s, cs_fact_t *f, const char *time_key) {
  int rc = cs_jf_ident(s->c, s->o, "member", true, &f->member);
  if (rc == CS_OK) rc = cs_jf_time(s->c, s->o, time_key, true, &f->at, NULL);
  return rc;
}

/* A light shape check: something@something, no spaces. Deliverability is
 * not the ledger's business. */
static int email(const src_t *s, const char **out) {
  const char *e = NULL;
  int rc = cs_jf_ident(s->c, s->o, "email", true, &e);
  if (rc < 0) return rc;
  const char *at = strchr(e, '@');
  if (!at || at == e || !at[1] || strchr(at + 1, '@') || strchr(e, ' '))
    return cs_jf_fail(s->c, "email", "expected an email address like name@example.com");
  *out = e;
  return CS_OK;
}

static int parse_member(const src_t *s, cs_fact_t *f) {
  f->u.member.birth_days = CS_NO_DATE;
  int rc = cs_jf_ident(s->c, s->o, "id", true, &f->member);
  if (rc == CS_OK) rc = cs_jf_ident(s->c, s->o, "name", true, &f->u.member.name);
  if (rc == CS_OK) rc = cs_jf_ident(s->c, s->o, "handle", true, &f->u.member.handle);
  if (rc == CS_OK) rc = email(s, &f->u.member.email);
  if (rc == CS_OK) rc = cs_jf_country(s->c, s->o, "country", true, &f->u.member.country);
  if (rc == CS_OK) rc = cs_jf_date(s->c, s->o, "birth_date", false, &f->u.member.birth_days, NULL);
  if (rc == CS_OK) rc = cs_jf_time(s->c, s->o, "joined_at", true, &f->at, NULL);
  return rc;
}

static int parse_location(const src_t *s, cs_fact_t *f) {
  int rc = fact_id(s, f);
  if (rc == CS_OK) rc = cs_jf_ident(s->c, s->o, "member", true, &f->member);
  if (rc == CS_OK) rc = cs_jf_country(s->c, s->o, "country", true, &f->u.location.country);
  if (rc == CS_OK) rc = cs_jf_time(s->c, s->o, "at", true, &f->at, NULL);
  return rc;
}

static int known_setting(const src_t *s, const char **out) {
  size_t idx;
  int rc = cs_jf_ident(s->c, s->o, "setting", true, out);
  if (rc < 0 || cs_config_setting(s->cfg, *out, &idx) == CS_OK) return rc;
  char known[512];
  cs__config_setting_list(s->cfg, known, sizeof known);
  return cs_jf_fail(s->c, "setting", "expected a known setting (%s), got \"%.60s\"", known, *out);
}

static int parse_setting(const src_t *s, cs_fact_t *f) {
  int rc = fact_id(s, f);
  if (rc == CS_OK) rc = cs_jf_ident(s->c, s->o, "member", true, &f->member);
  if (rc == CS_OK) rc = known_setting(s, &f->u.setting.setting);
  if (rc == CS_OK) rc = cs_jf_bool(s->c, s->o, "value", true, &f->u.setting.value, NULL);
  if (rc == CS_OK) rc = cs_jf_time(s->c, s->o, "at", true, &f->at, NULL);
  return rc;
}

/* Fails unless name is a purpose cfg knows. */
static int check_purpose(const src_t *s, const char *key, const char *name) {
  size_t idx;
  if (cs_config_purpose(s->cfg, name, &idx) == CS_OK) return CS_OK;
  char known[1024];
  cs__config_purpose_list(s->cfg, known, sizeof known);
  return cs_jf_fail(s->c, key, "expected a known purpose (%s), got \"%.60s\"", known, name);
}

static int reason(const src_t *s, const char **out) {
  size_t n = 0;
  int rc = cs_jf_string(s->c, s->o, "reason", false, out, &n);
  if (rc == CS_OK && n > CS_FACT_REASON_MAX)
    return cs_jf_fail(s->c, "reason", "expected at most %d bytes, got %zu", CS_FACT_REASON_MAX, n);
  return rc;
}

static int parse_objection(const src_t *s, cs_fact_t *f) {
  int rc = fact_id(s, f);
  if (rc == CS_OK) rc = cs_jf_ident(s->c, s->o, "member", true, &f->member);
  if (rc == CS_OK) rc = cs_jf_ident(s->c, s->o, "purpose", true, &f->u.objection.purpose);
  if (rc == CS_OK) rc = check_purpose(s, "purpose", f->u.objection.purpose);
  if (rc == CS_OK) rc = cs_jf_time(s->c, s->o, "at", true, &f->at, NULL);
  if (rc == CS_OK)
    rc = cs_jf_bool(s->c, s->o, "withdrawn", false, &f->u.objection.withdrawn, NULL);
  if (rc == CS_OK) rc = reason(s, &f->u.objection.reason);
  return rc;
}

/* Appends one purpose name to the comma-separated list in buf. */
static int add_purpose(const src_t *s, json_object *v, size_t *used) {
  char *out = s->buf->purposes;
  size_t cap = sizeof s->buf->purposes;
  if (!json_object_is_type(v, json_type_string))
    return cs_jf_fail(s->c, "purposes", "expected an array of purpose names (strings)");
  const char *name = json_object_get_string(v);
  int rc = check_purpose(s, "purposes", name);
  if (rc < 0) return rc;
  size_t n = strlen(name);
  if (*used && cs__csv_has(out, name, n))
    return cs_jf_fail(s->c, "purposes", "expected each purpose once, got \"%s\" twice", name);
  if (*used + n + 2 > cap) return cs_jf_fail(s->c, "purposes", "expected a shorter list");
  if (*used) out[(*used)++] = ',';
  memcpy(out + *used, name, n + 1);
  *used += n;
  return CS_OK;
}

static int purposes(const src_t *s, const char **out) {
  json_object *a;
  if (!json_object_object_get_ex(s->o, "purposes", &a) || json_object_is_type(a, json_type_null))
    return cs_jf_fail(s->c, "purposes", "required field is missing");
  if (!json_object_is_type(a, json_type_array) || json_object_array_length(a) == 0)
    return cs_jf_fail(s->c, "purposes", "expected a non-empty array of purpose names");
  size_t used = 0;
  s->buf->purposes[0] = '\0';
  for (size_t i = 0; i < json_object_array_length(a); i++) {
    int rc = add_purpose(s, json_object_array_get_idx(a, i), &used);
    if (rc < 0) return rc;
  }
  *out = s->buf->purposes;
  return CS_OK;
}

static int notice(const src_t *s, const cs_fact_t *f) {
  cs_time_t earliest;
  if (cs__policy_notice_ok(s->cfg, f->u.policy.published_at, f->at, &earliest) == CS_OK)
    return CS_OK;
  char when[CS_TIME_STR_MAX], period[64];
  cs_time_format(earliest, when);
  cs__notice_str(s->cfg, period, sizeof period);
  return cs_jf_fail(s->c, "effective_at",
                    "expected at least published_at + %s notice (earliest %s)", period, when);
}

static int parse_policy(const src_t *s, cs_fact_t *f) {
  int rc = cs_jf_ident(s->c, s->o, "version", true, &f->u.policy.version);
  if (rc == CS_OK) rc = purposes(s, &f->u.policy.purposes);
  if (rc == CS_OK)
    rc = cs_jf_time(s->c, s->o, "published_at", true, &f->u.policy.published_at, NULL);
  if (rc == CS_OK) rc = cs_jf_time(s->c, s->o, "effective_at", true, &f->at, NULL);
  if (rc == CS_OK) rc = notice(s, f);
  return rc;
}

static int parse_deleted(const src_t *s, cs_fact_t *f) {
  int rc = cs_jf_ident(s->c, s->o, "id", true, &f->u.deleted.record);
  if (rc == CS_OK) rc = member_and_time(s, f, "at");
  return rc;
}

static int parse_closed(const src_t *s, cs_fact_t *f) {
  int rc = fact_id(s, f);
  if (rc == CS_OK) rc = member_and_time(s, f, "at");
  return rc;
}

static const struct {
  cs_fact_type_t type;
  int (*parse)(const src_t *s, cs_fact_t *f);
} parsers[] = {
    {CS_FACT_MEMBER, parse_member},         {CS_FACT_LOCATION, parse_location},
    {CS_FACT_SETTING, parse_setting},       {CS_FACT_OBJECTION, parse_objection},
    {CS_FACT_POLICY, parse_policy},         {CS_FACT_CONTENT_DELETED, parse_deleted},
    {CS_FACT_ACCOUNT_CLOSED, parse_closed},
};

#define N_PARSERS (sizeof parsers / sizeof parsers[0])

int cs__fact_from_json(const cs_jctx_t *c, json_object *o, const cs_config_t *cfg,
                       cs_fact_buf_t *buf, cs_fact_t *out) {
  const char *type = NULL;
  int rc = cs_jf_string(c, o, "type", true, &type, NULL);
  if (rc < 0) return rc;
  src_t s = {c, o, cfg, buf};
  for (size_t i = 0; i < N_PARSERS; i++) {
    if (strcmp(type, cs_fact_type_name(parsers[i].type)) != 0) continue;
    cs_fact_t f = {.type = parsers[i].type};
    rc = parsers[i].parse(&s, &f);
    if (rc == CS_OK) *out = f;
    return rc;
  }
  return cs_jf_fail(c, "type",
                    "expected one of member, location, setting, objection, policy,"
                    " content_deleted, account_closed, got \"%.40s\"",
                    type);
}
