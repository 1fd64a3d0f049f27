/* test_loader.c — the training data loader: windows within bounds, targets
 * shifted by one, wrap-around for short shards, determinism by seed. */
#include <stdlib.h>

#include <consentry/train.h>

#include "check.h"

enum { N = 100, B = 4, T = 8 };

static void fill(uint16_t *tok, size_t n) {
  for (size_t i = 0; i < n; i++) tok[i] = (uint16_t)(i * 7 % 251);
}

static void test_bounds_and_shift(void) {
  uint16_t tok[N];
  fill(tok, N);
  cs_train_loader_t *l = NULL;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_train_loader_new(tok, N, B, T, &l, &d), CS_OK);
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, 5);
  int32_t x[B * T], y[B * T];
  size_t starts[B];
  for (int it = 0; it < 200; it++) {
    cs_train_loader_next(l, &rng, x, y, starts);
    for (int b = 0; b < B; b++) {
      CHECK(starts[b] + T + 1 <= N);
      for (int t = 0; t < T; t++) {
        CHECK_INT(x[b * T + t], tok[starts[b] + t]);
        CHECK_INT(y[b * T + t], tok[starts[b] + t + 1]);
      }
    }
  }
  CHECK_INT(cs_train_loader_pos(l), 200);
  CHECK_INT(cs_train_loader_tokens(l), N);
  cs_train_loader_free(l);
}

static void test_wraps_short_shard(void) {
  uint16_t tok[5] = {1, 2, 3, 4, 5};
  cs_train_loader_t *l = NULL;
  CHECK_INT(cs_train_loader_new(tok, 5, 2, T, &l, NULL), CS_OK);
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, 1);
  int32_t x[2 * T], y[2 * T];
  size_t starts[2];
  cs_train_loader_next(l, &rng, x, y, starts);
  for (int b = 0; b < 2; b++) {
    CHECK(starts[b] < 5);
    for (int t = 0; t < T; t++) {
      CHECK_INT(x[b * T + t], tok[(starts[b] + (size_t)t) % 5]);
      CHECK_INT(y[b * T + t], tok[(starts[b] + (size_t)t + 1) % 5]);
    }
  }
  cs_train_loader_free(l);
}

static void test_deterministic(void) {
  uint16_t tok[N];
  fill(tok, N);
  cs_train_loader_t *a = NULL, *b = NULL;
  CHECK_INT(cs_train_loader_new(tok, N, B, T, &a, NULL), CS_OK);
  CHECK_INT(cs_train_loader_new(tok, N, B, T, &b, NULL), CS_OK);
  cs_model_rng_t ra, rb, rc;
  cs_model_rng_seed(&ra, 42);
  cs_model_rng_seed(&rb, 42);
  cs_model_rng_seed(&rc, 43);
  int32_t xa[B * T], ya[B * T], xb[B * T], yb[B * T], xc[B * T], yc[B * T];
  int differ = 0;
  for (int it = 0; it < 20; it++) {
    cs_train_loader_next(a, &ra, xa, ya, NULL);
    cs_train_loader_next(b, &rb, xb, yb, NULL);
    CHECK(memcmp(xa, xb, sizeof xa) == 0 && memcmp(ya, yb, sizeof ya) == 0);
    cs_train_loader_next(b, &rc, xc, yc, NULL); /* another seed: other windows */
    differ += memcmp(xa, xc, sizeof xa) != 0;
  }
  CHECK(differ > 0);
  cs_train_loader_free(a);
  cs_train_loader_free(b);
}

static void test_rejects(void) {
  uint16_t tok[1] = {7};
  cs_train_loader_t *l = NULL;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_train_loader_new(tok, 1, B, T, &l, &d), CS_EINVAL);
  CHECK(l == NULL);
  CHECK_INT(cs_train_loader_new(tok, 1, 0, T, &l, &d), CS_EINVAL);
  CHECK(cs_train_loader_open("/nonexistent/train_000.bin", B, T, &l, &d) < 0);
  CHECK(l == NULL);
  cs_train_loader_free(NULL);
}

RUN_TESTS(test_bounds_and_shift, test_wraps_short_shard, test_deterministic, test_rejects)
