/* policy_publish.c — publishing policy versions and finding the one in force.
 *
 * A policy version lists the purposes it covers and takes effect at
 * effective_at, which must leave members the notice period (cfg->notice,
 * 30 days by default) after publication. A build for purpose P at T needs a
 * covering policy: the newest version listing P with effective_at <= T.
 */
#include <stdio.h>
#include <string.h>

#include <consentry/ledger.h>

#include "ledger/fact_json.h"

#define VERSION_MAX 256

static int check_version(const char *v, cs_diag_t *diag) {
  size_t n = v ? strlen(v) : 0;
  if (n == 0 || n > VERSION_MAX)
    return cs_diag_set(diag, CS_EINVAL, "version: expected 1 to %d bytes", VERSION_MAX);
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
      return cs_diag_set(diag, CS_EINVAL, "version: expected no control characters");
  return CS_OK;
}

/* Checks one CSV item (trimmed of spaces) and appends it to out. */
static int add_item(const cs_config_t *cfg, const char *item, size_t n, char *out, size_t cap,
                    size_t *used, cs_diag_t *diag) {
  while (n && *item == ' ') item++, n--;
  while (n && item[n - 1] == ' ') n--;
  char name[CS_NAME_MAX];
  size_t idx;
  char known[1024];
  cs__config_purpose_list(cfg, known, sizeof known);
  if (n == 0) return cs_diag_set(diag, CS_EINVAL, "purposes: expected a list like %s", known);
  bool fits = n < sizeof name;
  if (fits) memcpy(name, item, n), name[n] = '\0';
  if (!fits || cs_config_purpose(cfg, name, &idx) != CS_OK)
    return cs_diag_set(diag, CS_EINVAL, "purposes: unknown purpose \"%.*s\" (known: %s)",
                       (int)(n > 60 ? 60 : n), item, known);
  if (*used && cs__csv_has(out, name, n))
    return cs_diag_set(diag, CS_EINVAL, "purposes: \"%s\" listed twice", name);
  if (*used + n + 2 > cap) return cs_diag_set(diag, CS_EINVAL, "purposes: list too long");
  if (*used) out[(*used)++] = ',';
  memcpy(out + *used, name, n + 1);
  *used += n;
  return CS_OK;
}

/* Validates "a, b" into the canonical "a,b" in out. */
static int normalise_purposes(const cs_config_t *cfg, const char *csv, char *out, size_t cap,
                              cs_diag_t *diag) {
  size_t used = 0;
  out[0] = '\0';
  const char *p = csv ? csv : "";
  for (;;) {
    size_t n = strcspn(p, ",");
    int rc = add_item(cfg, p, n, out, cap, &used, diag);
    if (rc < 0) return rc;
    if (!p[n]) return CS_OK;
    p += n + 1;
  }
}

static int version_eq(void *ctx, const cs_fact_t *f) {
  return strcmp(f->u.policy.version, (const char *)ctx) == 0 ? 1 : 0;
}

static int refuse_early(const cs_config_t *cfg, cs_time_t effective, cs_time_t earliest,
                        cs_diag_t *diag) {
  char eff[CS_TIME_STR_MAX], first[CS_TIME_STR_MAX], period[64];
  cs_time_format(effective, eff);
  cs_time_format(earliest, first);
  if (cfg->notice % CS_NS_PER_DAY == 0)
    snprintf(period, sizeof period, "%lld-day", (long long)(cfg->notice / CS_NS_PER_DAY));
  else
    snprintf(period, sizeof period, "%lld-second", (long long)(cfg->notice / CS_NS_PER_SEC));
  return cs_diag_set(diag, CS_EREFUSED,
                     "effective %s is before the end of the %s notice period;"
                     " earliest allowed effective date: %s",
                     eff, period, first);
}

int cs_policy_publish(cs_store_t *s, const cs_config_t *cfg, const char *version,
                      const char *purposes_csv, cs_time_t published, cs_time_t effective,
                      cs_diag_t *diag) {
  cs_fact_buf_t buf;
  cs_time_t earliest;
  if (!s || !cfg) return cs_diag_set(diag, CS_EINVAL, "policy: missing argument");
  int rc = check_version(version, diag);
  if (rc == CS_OK) rc = normalise_purposes(cfg, purposes_csv, buf.purposes, sizeof buf.purposes, diag);
  if (rc < 0) return rc;
  if (cs__policy_notice_ok(cfg, published, effective, &earliest) != CS_OK)
    return refuse_early(cfg, effective, earliest, diag);
  rc = cs_store_each_policy(s, version_eq, (void *)version, diag);
  if (rc == 1) return cs_diag_set(diag, CS_EINVAL, "version \"%s\": version already published", version);
  if (rc < 0) return rc;
  cs_fact_t f = {.type = CS_FACT_POLICY, .at = effective};
  f.u.policy.version = version;
  f.u.policy.purposes = buf.purposes;
  f.u.policy.published_at = published;
  return cs_store_put_fact(s, &f, NULL, diag);
}

typedef struct {
  const char *purpose;
  size_t purpose_len;
  cs_time_t T;
  char best[VERSION_MAX + 1], next[VERSION_MAX + 1]; /* "" when none */
  cs_time_t next_at;
} cover_t;

static void copy_version(char *dst, const char *v) {
  size_t n = strlen(v);
  if (n > VERSION_MAX) n = VERSION_MAX; /* versions are capped at publish and ingest */
  memcpy(dst, v, n);
  dst[n] = '\0';
}

/* Policies arrive by (effective_at, seq): the last in force wins, the first
 * after T is the next. */
static int cover_cb(void *ctx, const cs_fact_t *f) {
  cover_t *c = ctx;
  if (!cs__csv_has(f->u.policy.purposes, c->purpose, c->purpose_len)) return 0;
  if (f->at <= c->T) {
    copy_version(c->best, f->u.policy.version);
  } else if (!c->next[0]) {
    copy_version(c->next, f->u.policy.version);
    c->next_at = f->at;
  }
  return 0;
}

static int refuse_uncovered(const cover_t *c, cs_diag_t *diag) {
  char at[CS_TIME_STR_MAX], next_at[CS_TIME_STR_MAX];
  cs_time_format(c->T, at);
  if (!c->next[0])
    return cs_diag_set(diag, CS_EREFUSED,
                       "no policy covering %s is in effect at %s, and none is scheduled",
                       c->purpose, at);
  cs_time_format(c->next_at, next_at);
  return cs_diag_set(diag, CS_EREFUSED,
                     "no policy covering %s is in effect at %s; the next, version \"%s\","
                     " takes effect at %s",
                     c->purpose, at, c->next, next_at);
}

int cs_policy_covering(cs_store_t *s, const char *purpose, cs_time_t T, char *out_version,
                       size_t cap, cs_diag_t *diag) {
  if (!s || !purpose || !out_version) return cs_diag_set(diag, CS_EINVAL, "policy: missing argument");
  cover_t c = {.purpose = purpose, .purpose_len = strlen(purpose), .T = T};
  int rc = cs_store_each_policy(s, cover_cb, &c, diag);
  if (rc == CS_OK && !c.best[0]) rc = refuse_uncovered(&c, diag);
  if (rc == CS_OK && strlen(c.best) >= cap)
    rc = cs_diag_set(diag, CS_ERANGE, "policy: version \"%s\" does not fit the buffer", c.best);
  if (rc == CS_OK) memcpy(out_version, c.best, strlen(c.best) + 1);
  return rc;
}
