/* ledger_fixture.h — what the ledger tests share: a fresh SQLite ledger in a
 * unique temporary file, JSONL files written from strings, and clean-up of
 * both (including SQLite's -wal and -shm side files). */
#ifndef CS_TESTS_LEDGER_FIXTURE_H
#define CS_TESTS_LEDGER_FIXTURE_H

#include <stdlib.h>
#include <unistd.h>

#include <consentry/consentry.h>

#include "check.h"

#define FIX_PATH_MAX 128

/* Helpers are static inline so a test that uses only some of them still
 * compiles warning-free. */

/* A unique name under /tmp (the file is created empty). */
static inline void fix_tmp(char path[FIX_PATH_MAX], const char *tag) {
  snprintf(path, FIX_PATH_MAX, "/tmp/cs-test-%s-XXXXXX", tag);
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd >= 0) close(fd);
}

static inline void fix_unlink_db(const char *path) {
  char side[FIX_PATH_MAX + 8];
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

/* Opens a fresh ledger; *path receives its file name. */
static inline cs_store_t *fix_open(char path[FIX_PATH_MAX]) {
  cs_store_t *s = NULL;
  cs_diag_t d = {""};
  fix_tmp(path, "db");
  int rc = cs_store_open(path, &s, &d);
  CHECK_STR(d.msg, "");
  CHECK_INT(rc, CS_OK);
  return s;
}

static inline void fix_close(cs_store_t *s, const char *path) {
  cs_store_close(s);
  fix_unlink_db(path);
}

/* Writes text to a fresh temporary .jsonl file. */
static inline void fix_file(char path[FIX_PATH_MAX], const char *text) {
  fix_tmp(path, "facts");
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static inline cs_time_t fix_t(const char *s) {
  cs_time_t v = 0;
  CHECK_INT(cs_time_parse(s, strlen(s), &v), CS_OK);
  return v;
}

static inline cs_store_counts_t fix_counts(cs_store_t *s) {
  cs_store_counts_t c = {0};
  cs_diag_t d = {""};
  CHECK_INT(cs_store_counts(s, &c, &d), CS_OK);
  return c;
}

/* All seven counts in one number-per-digit-group string, for compact checks:
 * "members locations settings objections policies deletions closures". */
static inline const char *fix_counts_str(cs_store_t *s, char buf[128]) {
  cs_store_counts_t c = fix_counts(s);
  snprintf(buf, 128, "%lld %lld %lld %lld %lld %lld %lld", (long long)c.members,
           (long long)c.locations, (long long)c.settings, (long long)c.objections,
           (long long)c.policies, (long long)c.deletions, (long long)c.closures);
  return buf;
}

#endif
