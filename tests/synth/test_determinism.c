/* Specification of reproducibility and failure behaviour: the same options
 * give byte-identical files, another seed gives other files, bad options are
 * refused, and a failed run leaves no temporary files behind. */
#include <sys/stat.h>

#include <consentry/synth.h>

#include "check.h"
#include "synth_util.h"

static const char *const names[] = {"facts.jsonl", "content.jsonl", "labels.jsonl"};

static int run(const char *dir, uint64_t seed, uint64_t members, uint64_t records) {
  cs_synth_opts_t o = {.members = members, .records = records, .seed = seed, .out_dir = dir};
  cs_synth_stats_t st;
  cs_diag_t d = {{0}};
  int rc = cs_synth_run(&o, &st, &d);
  if (rc == CS_OK) CHECK(st.bytes > 0);
  return rc;
}

static bool same_file(const char *a, const char *b) {
  size_t na = 0, nb = 0;
  char *x = slurp(a, &na), *y = slurp(b, &nb);
  bool same = x && y && na == nb && memcmp(x, y, na) == 0;
  free(x);
  free(y);
  return same;
}

static void cleanup(const char *dir) {
  for (int k = 0; k < 3; k++) unlink(path_in(dir, names[k]));
  rmdir(dir);
}

static void test_same_seed_same_bytes(void) {
  char *a = tmp_dir(), *b = tmp_dir(), *c = tmp_dir();
  CHECK_INT(run(a, 5, 500, 4000), CS_OK);
  CHECK_INT(run(b, 5, 500, 4000), CS_OK);
  CHECK_INT(run(c, 6, 500, 4000), CS_OK);
  for (int k = 0; k < 3; k++) {
    CHECK(same_file(path_in(a, names[k]), path_in(b, names[k])));
    CHECK(!same_file(path_in(a, names[k]), path_in(c, names[k])));
  }
  cleanup(a);
  cleanup(b);
  cleanup(c);
}

/* Records do not depend on how many come after them: a shorter run is a
 * prefix of a longer one with the same members and seed. */
static void test_records_are_prefix_stable(void) {
  char *a = tmp_dir(), *b = tmp_dir();
  CHECK_INT(run(a, 9, 300, 1000), CS_OK);
  CHECK_INT(run(b, 9, 300, 3000), CS_OK);
  size_t na = 0, nb = 0;
  char *x = slurp(path_in(a, "content.jsonl"), &na), *y = slurp(path_in(b, "content.jsonl"), &nb);
  CHECK(x && y && na < nb && memcmp(x, y, na) == 0);
  free(x);
  free(y);
  cleanup(a);
  cleanup(b);
}

static void test_creates_missing_dirs(void) {
  char *base = tmp_dir();
  char deep[512];
  snprintf(deep, sizeof deep, "%s/x/y", base);
  CHECK_INT(run(deep, 1, 10, 0), CS_OK);
  CHECK(access(path_in(deep, "labels.jsonl"), F_OK) == 0);
  cleanup(deep);
  snprintf(deep, sizeof deep, "%s/x", base);
  rmdir(deep);
  rmdir(base);
}

static void test_bad_options(void) {
  cs_diag_t d = {{0}};
  cs_synth_opts_t o = {.members = 0, .records = 1, .seed = 1, .out_dir = "/tmp"};
  CHECK_INT(cs_synth_run(&o, NULL, &d), CS_EINVAL);
  CHECK(strstr(d.msg, "--members") != NULL);
  o.members = 1;
  o.out_dir = NULL;
  CHECK_INT(cs_synth_run(&o, NULL, &d), CS_EINVAL);
  CHECK_INT(cs_synth_run(NULL, NULL, &d), CS_EINVAL);
}

static void test_failure_leaves_nothing(void) {
  char *base = tmp_dir();
  char file[512];
  snprintf(file, sizeof file, "%s/plain", base);
  FILE *f = fopen(file, "w");
  CHECK(f != NULL);
  if (f) fclose(f);
  cs_diag_t d = {{0}};
  cs_synth_opts_t o = {.members = 10, .records = 10, .seed = 1, .out_dir = file};
  CHECK_INT(cs_synth_run(&o, NULL, &d), CS_EIO); /* --out is a file */
  CHECK(d.msg[0] != '\0');
  /* A read-only directory: the temporaries cannot be created (root ignores
   * permissions, so only check that nothing is left either way). */
  char ro[512];
  snprintf(ro, sizeof ro, "%s/ro", base);
  CHECK(mkdir(ro, 0555) == 0);
  o.out_dir = ro;
  int rc = cs_synth_run(&o, NULL, &d);
  CHECK(rc == CS_OK || rc == CS_EIO);
  for (int k = 0; k < 3; k++) {
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", ro, names[k]);
    CHECK(access(tmp, F_OK) != 0);
  }
  cleanup(ro);
  unlink(file);
  rmdir(base);
}

RUN_TESTS(test_same_seed_same_bytes, test_records_are_prefix_stable, test_creates_missing_dirs,
          test_bad_options, test_failure_leaves_nothing)
