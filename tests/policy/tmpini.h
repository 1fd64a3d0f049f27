/* tmpini.h — writes INI text to a temporary file for the config specifications. */
#ifndef CS_TESTS_POLICY_TMPINI_H
#define CS_TESTS_POLICY_TMPINI_H

#include <consentry/policy.h>

#include <stdlib.h>
#include <unistd.h>

#include "check.h"

typedef struct {
  char path[64];
} tmpini_t;

/* Writes text to a fresh temporary file; remove it with tmpini_done. */
static inline void tmpini(tmpini_t *t, const char *text) {
  snprintf(t->path, sizeof t->path, "/tmp/cs_policy_ini_XXXXXX");
  int fd = mkstemp(t->path);
  CHECK(fd >= 0);
  FILE *f = fdopen(fd, "w");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

static inline void tmpini_done(tmpini_t *t) { unlink(t->path); }

/* Loads text; returns the config (NULL on error) and the error code. */
static inline cs_config_t *load_text(const char *text, int *rc, cs_diag_t *d) {
  tmpini_t t;
  cs_config_t *cfg = NULL;
  tmpini(&t, text);
  d->msg[0] = '\0';
  *rc = cs_config_load(t.path, &cfg, d);
  /* Error messages name the file; replace the random path with "F". */
  size_t n = strlen(t.path);
  if (strncmp(d->msg, t.path, n) == 0) {
    memmove(d->msg + 1, d->msg + n, strlen(d->msg + n) + 1);
    d->msg[0] = 'F';
  }
  tmpini_done(&t);
  return cfg;
}

/* CHECKs that a and b are the same configuration, field by field. */
static inline void check_config_eq(const cs_config_t *a, const cs_config_t *b) {
  CHECK_INT(a->notice, b->notice);
  CHECK_INT(a->n_settings, b->n_settings);
  for (size_t s = 0; s < a->n_settings && s < b->n_settings; s++)
    CHECK_STR(a->settings[s], b->settings[s]);
  CHECK_INT(a->n_purposes, b->n_purposes);
  for (size_t p = 0; p < a->n_purposes && p < b->n_purposes; p++) {
    const cs_purpose_t *x = &a->purposes[p], *y = &b->purposes[p];
    CHECK_STR(x->name, y->name);
    CHECK_INT(x->kinds, y->kinds);
    CHECK_INT(x->visibilities, y->visibilities);
    CHECK_INT(x->redaction, y->redaction);
    CHECK_INT(x->setting, y->setting);
    for (size_t c = 0; c < CS_COUNTRY_SLOTS; c++)
      if (x->rule[c] != y->rule[c]) {
        CHECK_INT(c * 1000 + x->rule[c], c * 1000 + y->rule[c]); /* slot, rule */
        break;
      }
  }
}

#endif
