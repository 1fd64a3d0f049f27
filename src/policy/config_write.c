/* config_write.c — the canonical INI form of a config, and its hash.
 *
 * Canonical means: one form per config, so the hash identifies the rules a
 * dataset was built under. Sections come in a fixed order ([policy], then
 * each purpose in index order), keys in a fixed order, lists in enum or
 * alphabetical order, no groups. A purpose's `default` is the rule most
 * country slots have (the unassigned slots, which only `default` can set,
 * are the majority, so this is always the last default the config was loaded
 * with); each other rule then lists its countries, wrapped on indented
 * continuation lines so no line exceeds libinih's 200 characters.
 */
#include <consentry/policy.h>

#include <sodium.h>
#include <stdlib.h>

#define CODES_PER_LINE 20

static void write_mask(FILE *out, const char *key, uint32_t mask, size_t n,
                       const char *(*name)(int)) {
  fprintf(out, "%s =", key);
  if (!mask) fputs(" none", out);
  for (size_t i = 0; i < n; i++)
    if (mask & (1u << i)) fprintf(out, " %s", name((int)i));
  fputc('\n', out);
}

static const char *kind_name(int k) { return cs_kind_name((cs_kind_t)k); }
static const char *vis_name(int v) { return cs_visibility_name((cs_visibility_t)v); }

/* The rule most slots 1..CS_COUNTRY_SLOTS-1 have; ties go to the lower rule. */
static cs_rule_t majority_rule(const cs_purpose_t *p) {
  size_t count[4] = {0};
  for (size_t c = 1; c < CS_COUNTRY_SLOTS; c++)
    if (p->rule[c] < 4) count[p->rule[c]]++;
  cs_rule_t best = CS_RULE_EXCLUDED;
  for (int r = 1; r < 4; r++)
    if (count[r] > count[best]) best = (cs_rule_t)r;
  return best;
}

typedef struct {
  FILE *out;
  const cs_purpose_t *p;
  cs_rule_t rule;
  size_t n; /* codes written so far */
} list_ctx_t;

static void list_country(void *ctx, cs_country_t c) {
  list_ctx_t *l = ctx;
  char code[3];
  if (l->p->rule[c] != l->rule) return;
  if (l->n == 0) fprintf(l->out, "%s =", cs_rule_name(l->rule));
  else if (l->n % CODES_PER_LINE == 0) fputs("\n ", l->out);
  cs_country_str(c, code);
  fprintf(l->out, " %s", code);
  l->n++;
}

static void write_rules(FILE *out, const cs_purpose_t *p) {
  cs_rule_t def = majority_rule(p);
  fprintf(out, "default = %s\n", cs_rule_name(def));
  for (int r = 0; r < 4; r++) {
    if ((cs_rule_t)r == def) continue;
    list_ctx_t l = {out, p, (cs_rule_t)r, 0};
    cs_country_each(list_country, &l);
    if (l.n) fputc('\n', out);
  }
}

static void write_purpose(FILE *out, const cs_config_t *cfg, const cs_purpose_t *p) {
  fprintf(out, "\n[purpose %s]\n", p->name);
  write_mask(out, "kinds", p->kinds, CS_N_KINDS, kind_name);
  write_mask(out, "visibility", p->visibilities, CS_N_VIS, vis_name);
  fprintf(out, "redaction = %s\n", p->redaction ? "required" : "none");
  bool has_setting = p->setting >= 0 && (size_t)p->setting < cfg->n_settings;
  fprintf(out, "setting = %s\n", has_setting ? cfg->settings[p->setting] : "none");
  write_rules(out, p);
}

int cs_config_write(const cs_config_t *cfg, FILE *out) {
  if (!cfg || !out) return CS_EINVAL;
  if (cfg->notice < 0 || cfg->notice % CS_NS_PER_DAY != 0) return CS_ERANGE;
  fputs("; consentry purposes (canonical form; see docs/CONFIG.md)\n[policy]\n", out);
  fprintf(out, "notice_days = %lld\n", (long long)(cfg->notice / CS_NS_PER_DAY));
  if (cfg->n_settings) {
    fputs("settings =", out);
    for (size_t s = 0; s < cfg->n_settings; s++) fprintf(out, " %s", cfg->settings[s]);
    fputc('\n', out);
  }
  for (size_t p = 0; p < cfg->n_purposes; p++) write_purpose(out, cfg, &cfg->purposes[p]);
  return ferror(out) ? CS_EIO : CS_OK;
}

int cs_config_hash(const cs_config_t *cfg, char out_hex[65]) {
  char *buf = NULL;
  size_t len = 0;
  unsigned char digest[crypto_hash_sha256_BYTES];
  if (sodium_init() < 0) return CS_EINTERNAL;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem) return CS_ENOMEM;
  int rc = cs_config_write(cfg, mem);
  if (fclose(mem) != 0 && rc == CS_OK) rc = CS_ENOMEM;
  if (rc == CS_OK) {
    crypto_hash_sha256(digest, (const unsigned char *)buf, len);
    sodium_bin2hex(out_hex, 65, digest, sizeof digest);
  }
  free(buf);
  return rc;
}
