/* policy_int.h — helpers shared by the policy module's files (internal).
 *
 * Not part of the public API: the CLI and other modules use policy.h only.
 */
#ifndef CS_POLICY_INT_H
#define CS_POLICY_INT_H

#include <consentry/policy.h>

/* "excluded", "opt_out", "opt_in", "allowed" -> cs_rule_t; CS_EINVAL otherwise. */
CS_MUST_USE int cs__rule_parse(const char *s, size_t len, cs_rule_t *out);

/* True if s[0..len) is a valid purpose or setting name: [a-z0-9_]+, shorter
 * than CS_NAME_MAX. */
bool cs__name_valid(const char *s, size_t len);

/* Appends a purpose named name with nothing allowed: no kinds, no
 * visibilities, no setting, no redaction, EXCLUDED in every country.
 * CS_ERANGE when CS_MAX_PURPOSES are in use; name must be valid. */
CS_MUST_USE int cs__config_add_purpose(cs_config_t *cfg, const char *name, size_t *out);

/* The index of setting name, adding it if new; CS_ERANGE when full. */
CS_MUST_USE int cs__config_add_setting(cs_config_t *cfg, const char *name, size_t *out);

/* Sets the rule for every country slot except CS_COUNTRY_NONE. */
void cs__purpose_set_all(cs_purpose_t *p, cs_rule_t r);

#endif
