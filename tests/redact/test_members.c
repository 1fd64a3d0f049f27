/* test_members.c — known members, pseudonyms, max-pii and thread safety. */
#include <pthread.h>

#include "redact/redact_util.h"

static fixture_t members_fixture(const cs_redact_opts_t *o) {
  fixture_t f = {NULL, NULL};
  cs_diag_t d = {{0}};
  CHECK_INT(cs_redactor_new(o, &f.r, &d), CS_OK);
  CHECK_INT(cs_redactor_add_member(f.r, "Xavéria Quonstrad", "xq_2024", "xq@example.com", &d), CS_OK);
  CHECK_INT(cs_redactor_add_member(f.r, "Ngozi Adaeze Okonkwo", "@ngozi", NULL, &d), CS_OK);
  CHECK_INT(cs_redactor_add_member(f.r, "Zyx", NULL, NULL, &d), CS_OK);
  CHECK_INT(cs_redactor_add_member(f.r, NULL, NULL, NULL, &d), CS_OK);
  CHECK_INT(cs_redactor_compile(f.r, &d), CS_OK);
  CHECK_INT(cs_redactor_add_member(f.r, "Too Late", NULL, NULL, &d), CS_EINVAL);
  CHECK_INT(cs_redact_scratch_new(f.r, &f.s), CS_OK);
  CHECK_INT(cs_redactor_members(f.r), 4);
  return f;
}

static void test_member_names_any_case(void) {
  cs_redact_opts_t o = {.no_name_list = true};
  fixture_t f = members_fixture(&o);
  CHECK_REDACT(&f, "met xavéria quonstrad today", "met <PERSON> today");
  CHECK_REDACT(&f, "met XAVÉRIA QUONSTRAD today", "met <PERSON> today");
  CHECK_REDACT(&f, "Ngozi Okonkwo and Ngozi Adaeze Okonkwo", "<PERSON> and <PERSON>");
  CHECK_REDACT(&f, "thanks @NGOZI and @xq_2024! not a@ngozi.com", "thanks <PERSON> and <PERSON>! not <EMAIL>");
  CHECK_REDACT(&f, "Zyx said zyx", "<PERSON> said zyx");
  CHECK_REDACT(&f, "Xavéria alone and Quonstrad alone", "Xavéria alone and Quonstrad alone");
  fixture_free(&f);
}

static void test_pseudonyms(void) {
  const uint8_t key[] = "0123456789abcdef0123456789abcdef";
  cs_redact_opts_t o = {.key = key, .key_len = 32};
  fixture_t f = fixture_opts(&o);
  char *a = redact(&f, "call +44 20 7946 0958 or mail a@b.com");
  char *b = redact(&f, "mail a@b.com, call +442079460958");
  CHECK(strstr(a, "<PHONE_") && strstr(a, "<EMAIL_"));
  /* the same values give the same pseudonyms */
  CHECK(strncmp(strstr(a, "<PHONE_"), strstr(b, "<PHONE_"), 16) == 0);
  CHECK(strncmp(strstr(a, "<EMAIL_"), strstr(b, "<EMAIL_"), 16) == 0);
  CHECK(strncmp(strstr(a, "<EMAIL_"), "<EMAIL_", 7) == 0);
  fixture_free(&f);
  /* another key, other pseudonyms */
  const uint8_t key2[] = "fedcba9876543210fedcba9876543210";
  cs_redact_opts_t o2 = {.key = key2, .key_len = 32};
  fixture_t g = fixture_opts(&o2);
  char *c = redact(&g, "mail a@b.com");
  CHECK(strncmp(strstr(a, "<EMAIL_"), strstr(c, "<EMAIL_"), 16) != 0);
  free(a);
  free(b);
  free(c);
  fixture_free(&g);
  cs_redactor_t *r = NULL;
  cs_diag_t d = {{0}};
  cs_redact_opts_t weak = {.key = key, .key_len = 8};
  CHECK_INT(cs_redactor_new(&weak, &r, &d), CS_EINVAL);
  CHECK(r == NULL);
}

static void test_max_pii(void) {
  cs_redact_opts_t o = {.max_pii = 2};
  fixture_t f = fixture_opts(&o);
  const char *out;
  size_t n;
  cs_redact_result_t res;
  const char *two = "a@b.com and c@d.com";
  const char *three = "a@b.com and c@d.com and e@f.com";
  CHECK_INT(cs_redact_text(f.r, f.s, two, strlen(two), &out, &n, &res), CS_OK);
  CHECK(!res.dropped);
  CHECK_INT(res.counts[CS_PII_EMAIL], 2);
  CHECK_INT(cs_redact_text(f.r, f.s, three, strlen(three), &out, &n, &res), CS_OK);
  CHECK(res.dropped);
  CHECK_INT(res.n_matches, 3);
  fixture_free(&f);
}

typedef struct {
  fixture_t *shared;
  int failures;
} worker_t;

static void *worker(void *arg) {
  worker_t *w = arg;
  cs_redact_scratch_t *s = NULL;
  if (cs_redact_scratch_new(w->shared->r, &s) != CS_OK) {
    w->failures++;
    return NULL;
  }
  const char *in = "Xavéria Quonstrad (+44 20 7946 0958, xq@example.com) met Meagan Wallace.";
  const char *want = "<PERSON> (<PHONE>, <EMAIL>) met <PERSON>.";
  for (int i = 0; i < 2000; i++) {
    const char *out;
    size_t n;
    if (cs_redact_text(w->shared->r, s, in, strlen(in), &out, &n, NULL) != CS_OK ||
        n != strlen(want) || memcmp(out, want, n) != 0)
      w->failures++;
  }
  cs_redact_scratch_free(s);
  return NULL;
}

static void test_threads_share_one_redactor(void) {
  fixture_t f = members_fixture(NULL);
  pthread_t th[4];
  worker_t w[4];
  for (int i = 0; i < 4; i++) {
    w[i] = (worker_t){&f, 0};
    CHECK_INT(pthread_create(&th[i], NULL, worker, &w[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    CHECK_INT(w[i].failures, 0);
  }
  fixture_free(&f);
}

RUN_TESTS(test_member_names_any_case, test_pseudonyms, test_max_pii, test_threads_share_one_redactor)
