/* test_optim.c — AdamW against hand-computed values, the learning-rate
 * schedule, and gradient clipping. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <consentry/model.h>

#include "check.h"
#include "model/model_int.h"

#define CLOSE(a, b, tol)                                                                      \
  do {                                                                                        \
    double ca_ = (a), cb_ = (b);                                                              \
    check_count++;                                                                            \
    if (!(fabs(ca_ - cb_) <= (tol))) {                                                        \
      check_failures++;                                                                       \
      fprintf(stderr, "%s:%d: %s ~ %s failed: %.9g != %.9g\n", __FILE__, __LINE__, #a, #b,  \
              ca_, cb_);                                                                      \
    }                                                                                         \
  } while (0)

static cs_model_t *tiny(void) {
  cs_model_config_t cfg = {5, 4, 1, 1, 2, 0.0f};
  cs_model_t *m = NULL;
  cs_diag_t d;
  CHECK_INT(cs_model_new(&cfg, &m, &d), CS_OK);
  return m;
}

/* Two steps on one decayed weight (wte[0]) and one bias (lnfb[1]), by hand:
 * m = β1 m + (1-β1) g, v = β2 v + (1-β2) g², p = p(1 - lr wd) - lr m̂/(√v̂+eps). */
static void test_adamw(void) {
  cs_model_t *m = tiny();
  float *p = cs_model_params(m), *g = cs_model_grads(m);
  size_t bias = m->n_params - 1; /* lnfb, last: no decay */
  cs_adamw_t hp = {0.1f, 0.9f, 0.95f, 1e-8f, 0.5f};
  cs_diag_t d;
  double pw = 0.7, pb = -0.3, mw = 0, vw = 0, mb = 0, vb = 0;
  p[0] = (float)pw;
  p[bias] = (float)pb;
  double gs[2][2] = {{0.2, -0.4}, {-0.1, 0.3}}; /* step, (weight, bias) */
  for (int t = 1; t <= 2; t++) {
    cs_model_zero_grad(m);
    g[0] = (float)gs[t - 1][0];
    g[bias] = (float)gs[t - 1][1];
    CHECK_INT(cs_model_adamw_step(m, &hp, &d), CS_OK);
    mw = 0.9 * mw + 0.1 * gs[t - 1][0], vw = 0.95 * vw + 0.05 * gs[t - 1][0] * gs[t - 1][0];
    mb = 0.9 * mb + 0.1 * gs[t - 1][1], vb = 0.95 * vb + 0.05 * gs[t - 1][1] * gs[t - 1][1];
    double bc1 = 1 - pow(0.9, t), bc2 = 1 - pow(0.95, t);
    pw = pw * (1 - 0.1 * 0.5) - 0.1 * (mw / bc1) / (sqrt(vw / bc2) + 1e-8);
    pb = pb - 0.1 * (mb / bc1) / (sqrt(vb / bc2) + 1e-8);
    CLOSE(p[0], pw, 1e-6);
    CLOSE(p[bias], pb, 1e-6);
  }
  /* a parameter with zero gradient only decays (weights) or stays (biases) */
  CLOSE(p[1], 0.0, 0.0);
  CHECK_INT(cs_model_step_count(m), 2);
  hp.beta1 = 1.0f;
  CHECK_INT(cs_model_adamw_step(m, &hp, &d), CS_EINVAL);
  CHECK_INT(cs_model_step_count(m), 2);
  /* which tensors decay: 2-D weights and embeddings only */
  CHECK(cs__param_decays(CS__P_WTE) && cs__param_decays(CS__P_QKVW) &&
        cs__param_decays(CS__P_FCPROJW));
  CHECK(!cs__param_decays(CS__P_LN1W) && !cs__param_decays(CS__P_QKVB) &&
        !cs__param_decays(CS__P_LNFB));
  cs_model_free(m);
}

static void test_schedule(void) {
  cs_lr_schedule_t s = {1e-3f, 1e-4f, 10, 110};
  CLOSE(cs_model_lr(&s, 0), 1e-4, 1e-9);
  CLOSE(cs_model_lr(&s, 4), 5e-4, 1e-9);
  CLOSE(cs_model_lr(&s, 9), 1e-3, 1e-9);
  CLOSE(cs_model_lr(&s, 10), 1e-3, 1e-9);
  CLOSE(cs_model_lr(&s, 60), 5.5e-4, 1e-9); /* half way: the mean */
  CLOSE(cs_model_lr(&s, 35), 1e-4 + 0.5 * (1 + cos(M_PI * 0.25)) * 9e-4, 1e-9);
  CLOSE(cs_model_lr(&s, 110), 1e-4f, 0.0);
  CLOSE(cs_model_lr(&s, 1000), 1e-4f, 0.0);
  cs_lr_schedule_t nowarm = {1.0f, 0.0f, 0, 2};
  CLOSE(cs_model_lr(&nowarm, 0), 1.0, 1e-7);
  CLOSE(cs_model_lr(&nowarm, 1), 0.5, 1e-7);
}

static void test_clip(void) {
  cs_model_t *m = tiny();
  float *g = cs_model_grads(m);
  g[0] = 3.0f;
  g[m->n_params - 1] = 4.0f;
  CLOSE(cs_model_clip_grad_norm(m, 0.0f), 5.0, 1e-6); /* no clipping */
  CLOSE(g[0], 3.0, 0.0);
  CLOSE(cs_model_clip_grad_norm(m, 10.0f), 5.0, 1e-6); /* under the limit */
  CLOSE(g[0], 3.0, 0.0);
  CLOSE(cs_model_clip_grad_norm(m, 1.0f), 5.0, 1e-6);
  CLOSE(g[0], 0.6, 1e-6);
  CLOSE(g[m->n_params - 1], 0.8, 1e-6);
  CLOSE(cs_model_clip_grad_norm(m, 0.0f), 1.0, 1e-6);
  cs_model_free(m);
}

static void test_rng(void) {
  cs_model_rng_t a, b;
  cs_model_rng_seed(&a, 1);
  cs_model_rng_seed(&b, 1);
  CHECK(cs_model_rng_next(&a) == cs_model_rng_next(&b));
  cs_model_rng_seed(&b, 2);
  CHECK(cs_model_rng_next(&a) != cs_model_rng_next(&b));
  double s = 0.0, s2 = 0.0;
  for (int i = 0; i < 20000; i++) {
    float x = cs__rng_normal(&a);
    s += x, s2 += (double)x * x;
  }
  CLOSE(s / 20000, 0.0, 0.03);
  CLOSE(s2 / 20000, 1.0, 0.05);
}

/* GPT-2 init: std 0.02, residual projections 0.02/sqrt(2L), LN gains 1. */
static void test_init(void) {
  cs_model_config_t cfg;
  cs_diag_t d;
  CHECK_INT(cs_model_preset("tiny", 64, &cfg, &d), CS_OK);
  cs_model_t *m = NULL;
  CHECK_INT(cs_model_new(&cfg, &m, &d), CS_OK);
  cs_model_rng_t r;
  cs_model_rng_seed(&r, 3);
  cs_model_init(m, &r);
  double std[CS__N_PARAM_TENSORS];
  for (int i = 0; i < CS__N_PARAM_TENSORS; i++) {
    double s2 = 0.0;
    for (size_t k = 0; k < m->param_sizes[i]; k++) s2 += (double)m->params.t[i][k] * m->params.t[i][k];
    std[i] = sqrt(s2 / (double)m->param_sizes[i]);
  }
  CLOSE(std[CS__P_WTE], 0.02, 0.001);
  CLOSE(std[CS__P_QKVW], 0.02, 0.001);
  CLOSE(std[CS__P_FCPROJW], 0.02 / 2.0, 0.001); /* L = 2: 1/sqrt(4) */
  CLOSE(std[CS__P_ATTPROJW], 0.01, 0.001);
  CLOSE(std[CS__P_LN1W], 1.0, 0.0);
  CLOSE(std[CS__P_QKVB], 0.0, 0.0);
  cs_model_free(m);
}

RUN_TESTS(test_adamw, test_schedule, test_clip, test_rng, test_init)
