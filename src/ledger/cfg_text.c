/* cfg_text.c — config facts the ledger's messages and checks share: the
 * lists of known purposes and settings, and the policy notice period. */
#include <stdio.h>
#include <string.h>

#include "ledger/fact_json.h"

/* Appends names[i] for i < n, ", "-separated, truncating at cap. */
static void join(const char *first, size_t stride, size_t n, char *out, size_t cap) {
  size_t used = 0;
  if (cap) out[0] = '\0';
  for (size_t i = 0; i < n && used < cap; i++) {
    int k = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", first + i * stride);
    if (k < 0) break;
    used += (size_t)k;
  }
}

void cs__config_purpose_list(const cs_config_t *cfg, char *out, size_t cap) {
  join(cfg->purposes[0].name, sizeof cfg->purposes[0], cfg->n_purposes, out, cap);
}

void cs__config_setting_list(const cs_config_t *cfg, char *out, size_t cap) {
  join(cfg->settings[0], sizeof cfg->settings[0], cfg->n_settings, out, cap);
}

int cs__policy_notice_ok(const cs_config_t *cfg, cs_time_t published, cs_time_t effective,
                         cs_time_t *out_earliest) {
  cs_time_t earliest;
  if (__builtin_add_overflow(published, cfg->notice, &earliest)) earliest = CS_TIME_NEVER;
  *out_earliest = earliest;
  return effective >= earliest ? CS_OK : CS_EREFUSED;
}

void cs__notice_str(const cs_config_t *cfg, char *out, size_t cap) {
  long long n = (long long)cfg->notice;
  if (n % CS_NS_PER_DAY == 0)
    snprintf(out, cap, "%lld day%s", n / CS_NS_PER_DAY, n == CS_NS_PER_DAY ? "" : "s");
  else
    snprintf(out, cap, "%lld seconds", n / CS_NS_PER_SEC);
}

bool cs__csv_has(const char *list, const char *name, size_t n) {
  for (const char *p = list;;) {
    size_t k = strcspn(p, ",");
    if (k == n && strncmp(p, name, n) == 0) return true;
    if (!p[k]) return false;
    p += k + 1;
  }
}
