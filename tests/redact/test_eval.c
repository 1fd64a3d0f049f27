/* test_eval.c — Presidio-style span scoring and the two label formats. */
#include <stdio.h>
#include <unistd.h>

#include "redact/redact_util.h"

static void test_scoring_rules(void) {
  cs_redact_eval_t *e = NULL;
  CHECK_INT(cs_redact_eval_new(0.9, &e), CS_OK);
  const char *t = "Mr. John Smith lives in Paris, tel 555 123 4567.";
  /* gold: PERSON "John Smith" (5,15), GPE "Paris" (24,29), PHONE (35,47) */
  cs_eval_span_t gold[] = {{"PERSON", 4, 14}, {"GPE", 24, 29}, {"PHONE_NUMBER", 35, 47}};
  /* predictions: PERSON including "Mr." (a skip word: still a match), a
   * PERSON on Paris (not personal data: tallied apart, not a false positive)
   * and a PHONE cut short (IoU below 0.9: a miss and a false positive) */
  cs_pii_match_t pred[] = {{CS_PII_PERSON, 0, 14}, {CS_PII_PERSON, 24, 29},
                           {CS_PII_PHONE, 35, 42}};
  CHECK_INT(cs_redact_eval_add(e, t, strlen(t), gold, 3, NULL, 0, pred, 3), CS_OK);
  cs_eval_stats_t s;
  cs_redact_eval_type(e, CS_PII_PERSON, &s);
  CHECK_INT(s.annotated, 1);
  CHECK_INT(s.true_pos, 1);
  CHECK_INT(s.predicted, 1);
  cs_redact_eval_type(e, CS_PII_PHONE, &s);
  CHECK_INT(s.true_pos, 0);
  CHECK_INT(s.predicted, 1);
  cs_redact_eval_total(e, &s);
  CHECK_INT(s.annotated, 2);
  CHECK_INT(s.true_pos, 1);
  CHECK(s.f2 > 0.49 && s.f2 < 0.51);
  cs_redact_eval_free(e);
}

static void write_file(const char *path, const char *body) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs(body, f);
  fclose(f);
}

static void test_synth_format(void) {
  char dir[] = "/tmp/cs_eval_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char content[64], labels[64];
  snprintf(content, sizeof content, "%s/content.jsonl", dir);
  snprintf(labels, sizeof labels, "%s/labels.jsonl", dir);
  /* offsets are code points: "Zoë" is 3 of them and 4 bytes */
  write_file(content, "{\"id\":\"r1\",\"text\":\"Zoë mailed a@b.com on 2024-05-01\"}\n"
                      "{\"id\":\"r2\"}\n"
                      "{\"id\":\"r3\",\"text\":\"We met in Denver on 2024-05-01\"}\n"
                      "{\"id\":\"r4\",\"text\":\"Mail me at c@d.org\"}\n");
  write_file(labels, "{\"id\":\"r1\",\"spans\":[{\"type\":\"EMAIL\",\"start\":11,\"end\":18}],"
                     "\"lookalikes\":[{\"type\":\"DATE\",\"start\":22,\"end\":32}]}\n"
                     "{\"id\":\"r2\",\"spans\":[],\"lookalikes\":[]}\n"
                     "{\"id\":\"r3\",\"spans\":[],\"lookalikes\":[]}\n"
                     "{\"id\":\"r4\",\"spans\":[],\"lookalikes\":[]}\n");
  fixture_t f = fixture();
  cs_redact_eval_t *e = NULL;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_redact_eval_new(0.9, &e), CS_OK);
  CHECK_INT(cs_redact_eval_file(f.r, f.s, e, labels, NULL, &d), CS_OK);
  cs_eval_stats_t s;
  cs_redact_eval_type(e, CS_PII_EMAIL, &s);
  CHECK_INT(s.annotated, 1);
  CHECK_INT(s.true_pos, 1);
  /* r2, r3 and r4 hold no personal data by their labels; r4 was changed */
  char report[4096] = {0};
  FILE *mem = fmemopen(report, sizeof report - 1, "w");
  CHECK_INT(cs_redact_eval_report(e, mem, true), CS_OK);
  fclose(mem);
  CHECK(strstr(report, "\"pii_free_records\":{\"total\":3,\"changed\":1,") != NULL);
  cs_redact_eval_free(e);
  fixture_free(&f);
  unlink(content);
  unlink(labels);
  rmdir(dir);
}

static void test_presidio_benchmark(void) {
  const char *shared = getenv("CS_SHARED");
  char path[512];
  snprintf(path, sizeof path, "%s/bench-data/pii/presidio-research_synth_dataset_v2.json",
           shared ? shared : "../shared");
  if (access(path, R_OK) != 0) {
    printf("skipping the Presidio benchmark: %s not found\n", path);
    return;
  }
  fixture_t f = fixture();
  cs_redact_eval_t *e = NULL;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_redact_eval_new(0.9, &e), CS_OK);
  CHECK_INT(cs_redact_eval_file(f.r, f.s, e, path, NULL, &d), CS_OK);
  cs_eval_stats_t s;
  /* floors well under what we measure, so a regression fails the build */
  for (cs_pii_type_t t = CS_PII_EMAIL; t <= CS_PII_SSN; t++) {
    cs_redact_eval_type(e, t, &s);
    CHECK(s.recall >= 0.95);
    CHECK(s.precision >= 0.95);
  }
  cs_redact_eval_total(e, &s);
  CHECK(s.f2 >= 0.70);
  cs_redact_eval_free(e);
  fixture_free(&f);
}

RUN_TESTS(test_scoring_rules, test_synth_format, test_presidio_benchmark)
