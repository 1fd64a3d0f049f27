/* synth.c — cs_synth_run: validates options, creates the output directory,
 * writes facts, content and labels into temporaries and renames them into
 * place once all three are complete.
 */
#include "synth/synth_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define N_FILES 3
#define CHUNK 16384 /* records between progress reports */

static const char *const file_names[N_FILES] = {"facts.jsonl", "content.jsonl", "labels.jsonl"};

static const char *const label_names[CS_N_LABELS] = {
    "EMAIL", "PHONE",   "URL",     "IP",    "CREDIT_CARD", "IBAN",         "SSN",
    "NINO",  "PERSON",  "ADDRESS", "DATE",  "VERSION",     "PERCENT",      "MONEY",
    "ORDER_NUMBER", "ISO_STANDARD", "COMPANY", "CITY"};

const char *cs_label_name(cs_label_t t) {
  return (unsigned)t < CS_N_LABELS ? label_names[t] : NULL;
}

typedef struct {
  char tmp[N_FILES][4096], final[N_FILES][4096];
  cs__out_t out[N_FILES];
  cs__people_t people;
  cs__text_t *text;
} run_t;

/* mkdir -p: every missing component is created with mode 0755. */
static int make_dirs(const char *dir, cs_diag_t *diag) {
  char path[4096];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof path) return cs_diag_set(diag, CS_EINVAL, "--out: bad directory name");
  memcpy(path, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (path[i] != '/' && path[i] != '\0') continue;
    char saved = path[i];
    path[i] = '\0';
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
      return cs_diag_set(diag, CS_EIO, "%s: cannot create directory: %s", path, strerror(errno));
    path[i] = saved;
  }
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return cs_diag_set(diag, CS_EIO, "%s: not a directory", dir);
  return CS_OK;
}

static int open_files(run_t *r, const char *dir, cs_diag_t *diag) {
  static const size_t caps[N_FILES] = {4u << 20, 16u << 20, 4u << 20};
  for (int k = 0; k < N_FILES; k++) {
    int a = snprintf(r->tmp[k], sizeof r->tmp[k], "%s/.%s.tmp", dir, file_names[k]);
    int b = snprintf(r->final[k], sizeof r->final[k], "%s/%s", dir, file_names[k]);
    if (a < 0 || b < 0 || (size_t)a >= sizeof r->tmp[k] || (size_t)b >= sizeof r->final[k])
      return cs_diag_set(diag, CS_EINVAL, "--out: directory name too long");
    int e = cs__out_open(&r->out[k], r->tmp[k], caps[k]);
    if (e == ENOMEM) return cs_diag_set(diag, CS_ENOMEM, "out of memory");
    if (e) return cs_diag_set(diag, CS_EIO, "%s: cannot create: %s", r->tmp[k], strerror(e));
  }
  return CS_OK;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void write_content(run_t *r, const cs_synth_opts_t *o, cs_synth_stats_t *st) {
  cs__content_t c = {&r->out[1], &r->out[2], &r->people, o->seed, 0, r->text};
  for (uint64_t i = 0; i < o->records; i += CHUNK) {
    uint64_t to = o->records - i < CHUNK ? o->records : i + CHUNK;
    cs__content_write(&c, i, to);
    if (o->progress) o->progress(o->progress_ctx, to, o->records);
  }
  st->pii_records = c.pii_records;
}

/* Closes every file; the first failure wins. Returns CS_OK or CS_EIO. */
static int close_files(run_t *r, cs_diag_t *diag) {
  int rc = CS_OK;
  for (int k = 0; k < N_FILES; k++) {
    int e = cs__out_close(&r->out[k]);
    if (e && rc == CS_OK)
      rc = cs_diag_set(diag, CS_EIO, "%s: write failed: %s", r->tmp[k], strerror(e));
  }
  return rc;
}

static int publish(run_t *r, cs_diag_t *diag) {
  for (int k = 0; k < N_FILES; k++)
    if (rename(r->tmp[k], r->final[k]) != 0)
      return cs_diag_set(diag, CS_EIO, "%s: cannot rename: %s", r->final[k], strerror(errno));
  return CS_OK;
}

static int check_opts(const cs_synth_opts_t *o, cs_diag_t *diag) {
  if (!o || !o->out_dir) return cs_diag_set(diag, CS_EINVAL, "--out: required");
  if (o->members < 1 || o->members > CS_SYNTH_MAX_MEMBERS)
    return cs_diag_set(diag, CS_EINVAL, "--members: expected 1..%llu",
                       (unsigned long long)CS_SYNTH_MAX_MEMBERS);
  if (o->records > CS_SYNTH_MAX_RECORDS)
    return cs_diag_set(diag, CS_EINVAL, "--records: expected 0..%llu",
                       (unsigned long long)CS_SYNTH_MAX_RECORDS);
  return CS_OK;
}

static int generate(run_t *r, const cs_synth_opts_t *o, cs_synth_stats_t *st, cs_diag_t *diag) {
  int rc = make_dirs(o->out_dir, diag);
  if (rc == CS_OK) rc = open_files(r, o->out_dir, diag);
  if (rc < 0) return rc;
  if (cs__people_init(&r->people, o->members, o->seed) < 0 ||
      !(r->text = malloc(sizeof *r->text)))
    return cs_diag_set(diag, CS_ENOMEM, "out of memory for %llu members",
                       (unsigned long long)o->members);
  cs__facts_t f = {&r->out[0], &r->people, o->seed, o->records, 0};
  rc = cs__facts_write(&f, r->text);
  if (rc < 0) return rc;
  st->facts = f.facts;
  write_content(r, o, st);
  for (int k = 0; k < N_FILES; k++) st->bytes += r->out[k].total;
  return CS_OK;
}

int cs_synth_run(const cs_synth_opts_t *o, cs_synth_stats_t *stats, cs_diag_t *diag) {
  int rc = check_opts(o, diag);
  if (rc < 0) return rc;
  run_t *r = calloc(1, sizeof *r);
  if (!r) return cs_diag_set(diag, CS_ENOMEM, "out of memory");
  for (int k = 0; k < N_FILES; k++) r->out[k].fd = -1;
  cs_synth_stats_t st = {.members = o->members, .records = o->records};
  double t0 = now_seconds();
  rc = generate(r, o, &st, diag);
  int rc_close = close_files(r, diag);
  if (rc == CS_OK) rc = rc_close;
  if (rc == CS_OK) rc = publish(r, diag);
  if (rc < 0)
    for (int k = 0; k < N_FILES; k++)
      if (r->tmp[k][0]) unlink(r->tmp[k]);
  st.seconds = now_seconds() - t0;
  cs__people_free(&r->people);
  free(r->text);
  free(r);
  if (rc == CS_OK && stats) *stats = st;
  return rc;
}
