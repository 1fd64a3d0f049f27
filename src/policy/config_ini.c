/* config_ini.c — cs_config_load: the built-in purposes, overridden by an INI file.
 *
 * The format is documented in docs/CONFIG.md; in short:
 *
 *   [policy]                 notice_days = 30, settings = genai_training ...
 *   [group NAME]             countries = AT BE @other_group ...
 *   [purpose NAME]           default, excluded, opt_out, opt_in, allowed,
 *                            setting, kinds, visibility, redaction
 *
 * A section for an existing purpose overrides only the keys it gives; a new
 * purpose starts with nothing allowed (no kinds, no visibilities, excluded
 * everywhere). `default` sets the rule of every country; the four rule keys
 * set the listed countries; all apply in file order. List keys may repeat or
 * continue on indented lines: their values accumulate within a section.
 *
 * libinih does the tokenizing. Our reader callback sees every line first, so
 * it counts lines (the Debian build has no line numbers in the handler),
 * rejects over-long lines instead of letting inih split them, and opens
 * sections itself, so that an empty [purpose x] still creates the purpose
 * and errors about a header name the header's own line.
 */
#include <consentry/policy.h>

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"

#define MAX_GROUPS 64
#define LIST_SEP " \t,"

typedef struct {
  char name[CS_NAME_MAX];
  bool has[CS_COUNTRY_SLOTS]; /* country c is in the group */
} group_t;

typedef enum { SEC_NONE, SEC_POLICY, SEC_GROUP, SEC_PURPOSE } sec_kind_t;

/* Keys of a section; bits of ini_ctx_t.seen. */
enum {
  K_NOTICE = 1u << 0, K_SETTINGS = 1u << 1, K_COUNTRIES = 1u << 2, K_DEFAULT = 1u << 3,
  K_SETTING = 1u << 4, K_KINDS = 1u << 5, K_VIS = 1u << 6, K_REDACTION = 1u << 7,
};

typedef struct {
  cs_config_t *cfg;   /* being built; becomes the result on success */
  const char *path;
  FILE *f;
  size_t line;        /* the line the reader returned last, 1-based */
  cs_diag_t *diag;
  int err;            /* the first error; later lines are not read */
  sec_kind_t sec;
  size_t sec_index;   /* the purpose or group the section is about */
  char sec_text[256]; /* the header's text, to match inih's section argument */
  uint32_t seen;      /* K_* keys given in this section */
  group_t *groups;
  size_t n_groups;
  size_t purpose_line[CS_MAX_PURPOSES]; /* last header line per purpose; 0: built in */
} ini_ctx_t;

static int fail(ini_ctx_t *c, const char *key, const char *fmt, const char *arg) {
  char what[512];
  snprintf(what, sizeof what, fmt, arg ? arg : "");
  if (!c->err)
    c->err = cs_diag_set(c->diag, CS_EINVAL, "%s:%zu: %s: expected %s", c->path, c->line, key,
                         what);
  return 0; /* inih: handler failed */
}

/* ---- Section headers --------------------------------------------------- */

static int group_index(const ini_ctx_t *c, const char *name, size_t *out) {
  for (size_t i = 0; i < c->n_groups; i++)
    if (strcmp(c->groups[i].name, name) == 0) {
      *out = i;
      return CS_OK;
    }
  return CS_ENOTFOUND;
}

static int open_group(ini_ctx_t *c, const char *name) {
  size_t i;
  if (!cs__name_valid(name, strlen(name)))
    return fail(c, "[group]", "a group name of a-z, 0-9 and _, got '%s'", name);
  if (group_index(c, name, &i) == CS_OK)
    return fail(c, "[group]", "each group defined once, '%s' is already defined", name);
  if (c->n_groups >= MAX_GROUPS) return fail(c, "[group]", "at most 64 groups%s", "");
  group_t *g = &c->groups[c->n_groups];
  memset(g, 0, sizeof *g);
  memcpy(g->name, name, strlen(name) + 1);
  c->sec = SEC_GROUP;
  c->sec_index = c->n_groups++;
  return 1;
}

static int open_purpose(ini_ctx_t *c, const char *name) {
  size_t p;
  if (!cs__name_valid(name, strlen(name)))
    return fail(c, "[purpose]", "a purpose name of a-z, 0-9 and _, got '%s'", name);
  if (cs_config_purpose(c->cfg, name, &p) != CS_OK &&
      cs__config_add_purpose(c->cfg, name, &p) != CS_OK)
    return fail(c, "[purpose]", "at most 32 purposes, '%s' is one too many", name);
  c->sec = SEC_PURPOSE;
  c->sec_index = p;
  c->purpose_line[p] = c->line;
  return 1;
}

/* "policy", "group NAME" or "purpose NAME" (text is the header's inside). */
static int open_section(ini_ctx_t *c, char *text) {
  char *kind = text + strspn(text, " \t");
  char *name = kind + strcspn(kind, " \t");
  if (*name) *name++ = '\0';
  name += strspn(name, " \t");
  name[strcspn(name, " \t")] = '\0';
  c->seen = 0;
  if (strcmp(kind, "policy") == 0 && !*name) {
    c->sec = SEC_POLICY;
    return 1;
  }
  if (strcmp(kind, "group") == 0 && *name) return open_group(c, name);
  if (strcmp(kind, "purpose") == 0 && *name) return open_purpose(c, name);
  return fail(c, "section", "[policy], [group NAME] or [purpose NAME]%s", "");
}

/* Called by the reader for a line that starts with '[': remembers the text
 * inih will pass as `section` and opens the section. */
static void header_line(ini_ctx_t *c, const char *line) {
  const char *end = strchr(line, ']');
  if (!end) return; /* inih reports the syntax error */
  size_t len = (size_t)(end - line - 1);
  if (len >= sizeof c->sec_text) {
    fail(c, "section", "a header shorter than 256 characters%s", "");
    return;
  }
  memcpy(c->sec_text, line + 1, len);
  c->sec_text[len] = '\0';
  char work[sizeof c->sec_text];
  memcpy(work, c->sec_text, len + 1);
  open_section(c, work);
}

/* ---- Values ---------------------------------------------------------------- */

/* Adds one country token (a code or @group) to mark[]. */
static int mark_token(ini_ctx_t *c, const char *key, const char *tok, bool *mark) {
  cs_country_t code;
  size_t g;
  if (tok[0] == '@') {
    if (group_index(c, tok + 1, &g) != CS_OK)
      return fail(c, key, "a group defined above, no group '%s'", tok);
    for (size_t i = 1; i < CS_COUNTRY_SLOTS; i++) mark[i] = mark[i] || c->groups[g].has[i];
    return 1;
  }
  if (cs_country_parse(tok, strlen(tok), &code) != CS_OK)
    return fail(c, key, "ISO 3166-1 alpha-2 country codes or @group, got '%s'", tok);
  mark[code] = true;
  return 1;
}

/* Parses a list of country codes and @groups into mark[] (ORed in). */
static int parse_countries(ini_ctx_t *c, const char *key, const char *value, bool *mark) {
  char tok[CS_NAME_MAX + 2];
  for (const char *p = value + strspn(value, LIST_SEP); *p; p += strspn(p, LIST_SEP)) {
    size_t n = strcspn(p, LIST_SEP);
    if (n >= sizeof tok) {
      snprintf(tok, sizeof tok, "%.*s", (int)(sizeof tok - 1), p);
      return fail(c, key, "ISO 3166-1 alpha-2 country codes or @group, got '%s...'", tok);
    }
    memcpy(tok, p, n);
    tok[n] = '\0';
    if (!mark_token(c, key, tok, mark)) return 0;
    p += n;
  }
  return 1;
}

/* Parses a list of names with parse_one into a bit mask ("none": empty). */
static int parse_mask(ini_ctx_t *c, const char *key, const char *value,
                      int (*parse_one)(const char *, size_t, int *), const char *expected,
                      uint32_t *mask) {
  char tok[CS_NAME_MAX];
  const char *p = value + strspn(value, LIST_SEP);
  if (strcmp(p, "none") == 0) return 1;
  while (*p) {
    size_t n = strcspn(p, LIST_SEP);
    int v;
    snprintf(tok, sizeof tok, "%.*s", (int)(n < sizeof tok ? n : sizeof tok - 1), p);
    if (parse_one(p, n, &v) != CS_OK) return fail(c, key, expected, tok);
    *mask |= 1u << v;
    p += n;
    p += strspn(p, LIST_SEP);
  }
  return 1;
}

static int kind_one(const char *s, size_t n, int *out) {
  cs_kind_t k;
  int rc = cs_kind_parse(s, n, &k);
  if (rc == CS_OK) *out = (int)k;
  return rc;
}

static int vis_one(const char *s, size_t n, int *out) {
  cs_visibility_t v;
  int rc = cs_visibility_parse(s, n, &v);
  if (rc == CS_OK) *out = (int)v;
  return rc;
}

/* Marks key as given; scalar keys may be given once per section. */
static bool first_time(ini_ctx_t *c, uint32_t key_bit) {
  bool first = !(c->seen & key_bit);
  c->seen |= key_bit;
  return first;
}

/* ---- Keys -------------------------------------------------------------- */

static int set_notice(ini_ctx_t *c, const char *value) {
  char *end;
  if (!first_time(c, K_NOTICE)) return fail(c, "notice_days", "one value, given twice%s", "");
  errno = 0;
  long long days = strtoll(value, &end, 10);
  if (value[0] < '0' || value[0] > '9' || *end || errno || days > 36500)
    return fail(c, "notice_days", "a whole number of days from 0 to 36500, got '%s'", value);
  c->cfg->notice = (cs_time_t)days * CS_NS_PER_DAY;
  return 1;
}

static int declare_settings(ini_ctx_t *c, const char *value) {
  char tok[CS_NAME_MAX + 1];
  first_time(c, K_SETTINGS);
  for (const char *p = value + strspn(value, LIST_SEP); *p; p += strspn(p, LIST_SEP)) {
    size_t n = strcspn(p, LIST_SEP), s;
    snprintf(tok, sizeof tok, "%.*s", (int)(n < sizeof tok ? n : sizeof tok - 1), p);
    if (n >= CS_NAME_MAX || !cs__name_valid(tok, n) || strcmp(tok, "none") == 0)
      return fail(c, "settings", "setting names of a-z, 0-9 and _, got '%s'", tok);
    if (cs__config_add_setting(c->cfg, tok, &s) != CS_OK)
      return fail(c, "settings", "at most 8 settings, '%s' is one too many", tok);
    p += n;
  }
  return 1;
}

static int policy_key(ini_ctx_t *c, const char *name, const char *value) {
  if (strcmp(name, "notice_days") == 0) return set_notice(c, value);
  if (strcmp(name, "settings") == 0) return declare_settings(c, value);
  return fail(c, name, "notice_days or settings in [policy]%s", "");
}

static int group_key(ini_ctx_t *c, const char *name, const char *value) {
  if (strcmp(name, "countries") != 0) return fail(c, name, "countries in [group]%s", "");
  first_time(c, K_COUNTRIES);
  return parse_countries(c, name, value, c->groups[c->sec_index].has);
}

/* default = RULE, or RULE = COUNTRIES: the jurisdiction rules. */
static int rule_key(ini_ctx_t *c, cs_purpose_t *p, const char *name, const char *value,
                    cs_rule_t key_rule) {
  cs_rule_t r;
  if (strcmp(name, "default") == 0) {
    if (!first_time(c, K_DEFAULT)) return fail(c, name, "one value, given twice%s", "");
    if (cs__rule_parse(value, strlen(value), &r) != CS_OK)
      return fail(c, name, "excluded, opt_out, opt_in or allowed, got '%s'", value);
    cs__purpose_set_all(p, r);
    return 1;
  }
  bool mark[CS_COUNTRY_SLOTS] = {false};
  if (!parse_countries(c, name, value, mark)) return 0;
  for (size_t i = 1; i < CS_COUNTRY_SLOTS; i++)
    if (mark[i]) p->rule[i] = (uint8_t)key_rule;
  return 1;
}

static int setting_key(ini_ctx_t *c, cs_purpose_t *p, const char *value) {
  size_t s;
  if (!first_time(c, K_SETTING)) return fail(c, "setting", "one value, given twice%s", "");
  if (strcmp(value, "none") == 0) {
    p->setting = -1;
    return 1;
  }
  if (!cs__name_valid(value, strlen(value)))
    return fail(c, "setting", "none or a setting name of a-z, 0-9 and _, got '%s'", value);
  if (cs__config_add_setting(c->cfg, value, &s) != CS_OK)
    return fail(c, "setting", "at most 8 settings, '%s' is one too many", value);
  p->setting = (int)s;
  return 1;
}

static int redaction_key(ini_ctx_t *c, cs_purpose_t *p, const char *value) {
  if (!first_time(c, K_REDACTION)) return fail(c, "redaction", "one value, given twice%s", "");
  if (strcmp(value, "required") == 0 || strcmp(value, "none") == 0) {
    p->redaction = value[0] == 'r';
    return 1;
  }
  return fail(c, "redaction", "required or none, got '%s'", value);
}

/* kinds / visibility: the first line in a section replaces, later ones add. */
static int mask_key(ini_ctx_t *c, const char *name, const char *value, uint32_t key_bit,
                    uint32_t *mask) {
  if (first_time(c, key_bit)) *mask = 0;
  if (key_bit == K_KINDS)
    return parse_mask(c, name, value, kind_one,
                      "none or kinds among post, article, comment, message, profile, "
                      "feedback, ai_prompt, got '%s'",
                      mask);
  return parse_mask(c, name, value, vis_one,
                    "none or visibilities among public, connections, private, got '%s'", mask);
}

static int purpose_key(ini_ctx_t *c, const char *name, const char *value) {
  cs_purpose_t *p = &c->cfg->purposes[c->sec_index];
  cs_rule_t r;
  if (strcmp(name, "default") == 0) return rule_key(c, p, name, value, CS_RULE_EXCLUDED);
  if (cs__rule_parse(name, strlen(name), &r) == CS_OK) return rule_key(c, p, name, value, r);
  if (strcmp(name, "setting") == 0) return setting_key(c, p, value);
  if (strcmp(name, "kinds") == 0) return mask_key(c, name, value, K_KINDS, &p->kinds);
  if (strcmp(name, "visibility") == 0) return mask_key(c, name, value, K_VIS, &p->visibilities);
  if (strcmp(name, "redaction") == 0) return redaction_key(c, p, value);
  return fail(c, name,
              "default, excluded, opt_out, opt_in, allowed, setting, kinds, visibility or "
              "redaction in [purpose]%s",
              "");
}

/* inih keeps at most 49 characters of a header; ours is the whole text. */
static bool same_section(const char *inih, const char *ours) {
  size_t n = strlen(inih), m = strlen(ours);
  return n <= m && memcmp(inih, ours, n) == 0 && (n == m || n == 49);
}

static int on_key(void *user, const char *section, const char *name, const char *value) {
  ini_ctx_t *c = user;
  if (c->err) return 0;
  if (c->sec == SEC_NONE) return fail(c, name, "a [section] before the first key%s", "");
  if (!same_section(section, c->sec_text))
    return fail(c, "section", "section headers at the start of a line%s", "");
  switch (c->sec) {
  case SEC_POLICY: return policy_key(c, name, value);
  case SEC_GROUP: return group_key(c, name, value);
  default: return purpose_key(c, name, value);
  }
}

/* ---- Reading --------------------------------------------------------------- */

/* inih's fgets-like reader: counts lines, refuses long ones, opens sections. */
static char *read_line(char *str, int num, void *stream) {
  ini_ctx_t *c = stream;
  if (c->err || !fgets(str, num, c->f)) return NULL;
  c->line++;
  size_t len = strlen(str);
  if (len + 1 == (size_t)num && str[len - 1] != '\n' && !feof(c->f)) {
    fail(c, "line", "at most %s characters; continue long lists on indented lines", "197");
    return NULL;
  }
  const char *s = str;
  if (c->line == 1 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
  if (s[0] == '[') header_line(c, s);
  return c->err ? NULL : str;
}

/* Checks what only the whole file can tell: every purpose with opt-in or
 * opt-out countries has a setting to read the member's choice from. */
static int validate(ini_ctx_t *c) {
  for (size_t p = 0; p < c->cfg->n_purposes; p++) {
    const cs_purpose_t *pp = &c->cfg->purposes[p];
    if (pp->setting >= 0) continue;
    for (size_t i = 1; i < CS_COUNTRY_SLOTS; i++)
      if (pp->rule[i] == CS_RULE_OPT_IN || pp->rule[i] == CS_RULE_OPT_OUT) {
        c->line = c->purpose_line[p];
        return fail(c, "setting", "a setting for purpose '%s', which has opt_in or opt_out "
                                  "countries", pp->name);
      }
  }
  return 1;
}

static int parse_file(ini_ctx_t *c) {
  int rc = ini_parse_stream(read_line, c, on_key, c);
  if (c->err) return c->err;
  if (ferror(c->f))
    return cs_diag_set(c->diag, CS_EIO, "%s: read error: %s", c->path, strerror(errno));
  if (rc > 0)
    return cs_diag_set(c->diag, CS_EINVAL, "%s:%d: line: expected '[section]' or 'key = value'",
                       c->path, rc);
  if (rc < 0) return cs_diag_set(c->diag, CS_ENOMEM, "%s: out of memory", c->path);
  validate(c);
  return c->err;
}

int cs_config_load(const char *path, cs_config_t **out, cs_diag_t *diag) {
  ini_ctx_t c = {.path = path, .diag = diag};
  int rc = cs_config_default(&c.cfg);
  if (rc != CS_OK) return cs_diag_set(diag, rc, "%s: %s", path, cs_strerror(rc));
  c.groups = calloc(MAX_GROUPS, sizeof *c.groups);
  if (!c.groups) {
    rc = cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
    goto done;
  }
  c.f = fopen(path, "r");
  if (!c.f) {
    rc = cs_diag_set(diag, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "%s: cannot open: %s", path,
                     strerror(errno));
    goto done;
  }
  rc = parse_file(&c);
  fclose(c.f);
done:
  free(c.groups);
  if (rc == CS_OK)
    *out = c.cfg;
  else
    cs_config_free(c.cfg);
  return rc;
}
