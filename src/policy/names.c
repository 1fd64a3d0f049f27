/* names.c — the spellings of kinds, visibilities, rules and reasons.
 *
 * These strings are part of the public contract: they appear in content
 * records, config files, decision files and manifests, so they never change.
 * Each table is indexed by its enum; parse is an exact, case-sensitive match.
 */
#include <consentry/policy.h>

#include <string.h>

#include "policy/policy_int.h"

static const char *const kind_names[CS_N_KINDS] = {
    "post", "article", "comment", "message", "profile", "feedback", "ai_prompt",
};

static const char *const vis_names[CS_N_VIS] = {"public", "connections", "private"};

static const char *const rule_names[] = {"excluded", "opt_out", "opt_in", "allowed"};

static const char *const reason_names[CS_N_REASONS] = {
    "INCLUDED",     "FUTURE_RECORD",
    "UNKNOWN_MEMBER", "ACCOUNT_CLOSED",
    "DELETED",      "KIND",
    "VISIBILITY",   "JURISDICTION",
    "JURISDICTION_AT_CREATION", "MINOR",
    "OPTED_OUT",    "NOT_OPTED_IN",
    "OBJECTED",
};

/* Index of s[0..len) in names[0..n), or -1. */
static int find_name(const char *const *names, size_t n, const char *s, size_t len) {
  for (size_t i = 0; i < n; i++)
    if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) return (int)i;
  return -1;
}

int cs_kind_parse(const char *s, size_t len, cs_kind_t *out) {
  int i = s ? find_name(kind_names, CS_N_KINDS, s, len) : -1;
  if (i < 0) return CS_EINVAL;
  *out = (cs_kind_t)i;
  return CS_OK;
}

const char *cs_kind_name(cs_kind_t k) {
  return (unsigned)k < CS_N_KINDS ? kind_names[k] : "?";
}

int cs_visibility_parse(const char *s, size_t len, cs_visibility_t *out) {
  int i = s ? find_name(vis_names, CS_N_VIS, s, len) : -1;
  if (i < 0) return CS_EINVAL;
  *out = (cs_visibility_t)i;
  return CS_OK;
}

const char *cs_visibility_name(cs_visibility_t v) {
  return (unsigned)v < CS_N_VIS ? vis_names[v] : "?";
}

const char *cs_rule_name(cs_rule_t r) {
  return (unsigned)r < sizeof rule_names / sizeof rule_names[0] ? rule_names[r] : "?";
}

const char *cs_reason_name(cs_reason_t r) {
  return (unsigned)r < CS_N_REASONS ? reason_names[r] : "?";
}

int cs__rule_parse(const char *s, size_t len, cs_rule_t *out) {
  int i = s ? find_name(rule_names, sizeof rule_names / sizeof rule_names[0], s, len) : -1;
  if (i < 0) return CS_EINVAL;
  *out = (cs_rule_t)i;
  return CS_OK;
}
