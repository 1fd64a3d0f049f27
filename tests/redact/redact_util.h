/* redact_util.h — helpers shared by the redaction tests. */
#ifndef CS_TESTS_REDACT_UTIL_H
#define CS_TESTS_REDACT_UTIL_H

#include <stdlib.h>
#include <string.h>

#include <consentry/redact.h>

#include "check.h"

typedef struct {
  cs_redactor_t *r;
  cs_redact_scratch_t *s;
} fixture_t;

static inline fixture_t fixture_opts(const cs_redact_opts_t *o) {
  fixture_t f = {NULL, NULL};
  cs_diag_t d = {{0}};
  CHECK_INT(cs_redactor_new(o, &f.r, &d), CS_OK);
  if (f.r) CHECK_INT(cs_redactor_compile(f.r, &d), CS_OK);
  if (f.r) CHECK_INT(cs_redact_scratch_new(f.r, &f.s), CS_OK);
  return f;
}

static inline fixture_t fixture(void) { return fixture_opts(NULL); }

static inline void fixture_free(fixture_t *f) {
  cs_redact_scratch_free(f->s);
  cs_redactor_free(f->r);
}

/* Redacts s and returns a malloc'ed NUL-terminated copy of the output. */
static inline char *redact(fixture_t *f, const char *s) {
  const char *out;
  size_t n;
  if (cs_redact_text(f->r, f->s, s, strlen(s), &out, &n, NULL) != CS_OK) return strdup("(error)");
  char *c = malloc(n + 1);
  memcpy(c, out, n);
  c[n] = '\0';
  return c;
}

#define CHECK_REDACT(f, in, want)        \
  do {                                   \
    char *got_ = redact((f), (in));      \
    CHECK_STR(got_, (want));             \
    free(got_);                          \
  } while (0)

#endif
