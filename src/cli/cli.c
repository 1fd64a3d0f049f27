/* cli.c — shared plumbing of the subcommands (see cli.h). */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cs_cli_fail(const char *cmd, int err, const cs_diag_t *diag) {
  const char *msg = diag && diag->msg[0] ? diag->msg : cs_strerror(err);
  fprintf(stderr, "consentry %s: %s\n", cmd, msg);
  int code = cs_exit_code(err);
  return code ? code : CS_EXIT_FAIL;
}

int cs_cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "consentry %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, " (see consentry %s --help)\n", cmd);
  va_end(ap);
  return CS_EXIT_USAGE;
}

int cs_cli_common_opt(int opt, const char *arg, cs_cli_common_t *c) {
  switch (opt) {
    case CS_OPT_DB: c->db = arg; return 1;
    case CS_OPT_CONFIG: c->config = arg; return 1;
    case CS_OPT_JSON: c->json = true; return 1;
    default: return 0;
  }
}

const char *cs_cli_db_path(const cs_cli_common_t *c) {
  if (c->db) return c->db;
  const char *env = getenv("CONSENTRY_DB");
  return env && *env ? env : "./consentry.db";
}

int cs_cli_load_config(const char *cmd, const cs_cli_common_t *c, cs_config_t **out) {
  cs_diag_t d = {{0}};
  int rc = c->config ? cs_config_load(c->config, out, &d) : cs_config_default(out);
  return rc < 0 ? cs_cli_fail(cmd, rc, &d) : 0;
}

int cs_cli_open_store(const char *cmd, const cs_cli_common_t *c, cs_store_t **out) {
  cs_diag_t d = {{0}};
  int rc = cs_store_open(cs_cli_db_path(c), out, &d);
  return rc < 0 ? cs_cli_fail(cmd, rc, &d) : 0;
}

int cs_cli_parse_time(const char *cmd, const char *flag, const char *s, cs_time_t *out) {
  if (strcmp(s, "now") == 0) {
    if (cs_time_now(out) < 0) return cs_cli_fail(cmd, CS_EIO, NULL);
    return 0;
  }
  if (cs_time_parse(s, strlen(s), out) < 0)
    return cs_cli_usage(cmd, "%s: expected an RFC 3339 time like 2024-05-01T12:00:00Z or 'now', got '%s'",
                        flag, s);
  return 0;
}

unsigned cs_cli_default_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

int cs_cli_parse_threads(const char *cmd, const char *s, unsigned *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < 1 || v > 64)
    return cs_cli_usage(cmd, "--threads: expected a whole number from 1 to 64, got '%s'", s);
  *out = (unsigned)v;
  return 0;
}

bool cs_cli_progress_enabled(const cs_cli_common_t *c) { return !c->json && isatty(STDERR_FILENO); }

void cs_cli_json_str(FILE *f, const char *s) { cs_cli_json_strn(f, s, strlen(s)); }

void cs_cli_json_strn(FILE *f, const char *s, size_t n) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; p < (const unsigned char *)s + n; p++) {
    switch (*p) {
      case '"': fputs("\\\"", f); break;
      case '\\': fputs("\\\\", f); break;
      case '\n': fputs("\\n", f); break;
      case '\r': fputs("\\r", f); break;
      case '\t': fputs("\\t", f); break;
      default:
        if (*p < 0x20)
          fprintf(f, "\\u%04x", *p);
        else
          fputc(*p, f);
    }
  }
  fputc('"', f);
}
