/* test_gpt.c — the whole model: gradients against finite differences (with
 * and without dropout), learning (a tiny model overfits a sequence), the KV
 * cache against the full forward, and sampling. */
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "gradcheck.h"
#include "model/model_int.h"

static cs_model_t *new_model(int V, int maxT, int L, int NH, int C, float dropout, float std,
                             uint64_t seed) {
  cs_model_config_t cfg = {V, maxT, L, NH, C, dropout};
  cs_model_t *m = NULL;
  cs_diag_t d = {{0}};
  CHECK_INT(cs_model_new(&cfg, &m, &d), CS_OK);
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, seed);
  cs_model_init(m, &rng);
  if (std > 0.0f) { /* larger weights than GPT-2's init: a sharper test */
    float *p = cs_model_params(m), *noise = malloc(m->n_params * sizeof(float));
    fill_randn(noise, m->n_params, std, &rng);
    for (size_t i = 0; i < m->n_params; i++) p[i] += noise[i];
    free(noise);
  }
  return m;
}

static void random_tokens(int32_t *t, size_t n, int V, uint64_t seed) {
  cs_model_rng_t r;
  cs_model_rng_seed(&r, seed);
  for (size_t i = 0; i < n; i++) t[i] = (int32_t)(cs_model_rng_next(&r) % (uint64_t)V);
}

typedef struct {
  cs_model_t *m;
  int32_t *x, *y;
  int B, T;
  cs_model_rng_t rng; /* copied for every forward: the same dropout masks */
  bool train;
} loss_ctx_t;

static double loss_obj(void *p) {
  loss_ctx_t *c = p;
  cs_model_rng_t r = c->rng;
  float loss = 0.0f;
  cs_diag_t d;
  if (cs_model_forward(c->m, c->x, c->y, c->B, c->T, c->train, &r, &loss, &d) != CS_OK) return NAN;
  return loss;
}

static void model_gradcheck(float dropout) {
  enum { B = 2, T = 5, V = 11 };
  cs_model_t *m = new_model(V, 8, 2, 2, 8, dropout, 0.3f, 7);
  int32_t x[B * T], y[B * T];
  random_tokens(x, B * T, V, 1);
  random_tokens(y, B * T, V, 2);
  loss_ctx_t c = {m, x, y, B, T, {{0}}, dropout > 0.0f};
  cs_model_rng_seed(&c.rng, 99);
  cs_diag_t d;
  loss_obj(&c);
  cs_model_zero_grad(m);
  CHECK_INT(cs_model_backward(m, &d), CS_OK);
  float *g = malloc(m->n_params * sizeof(float));
  memcpy(g, cs_model_grads(m), m->n_params * sizeof(float));
  double worst = gradcheck(dropout > 0 ? "gpt+dropout" : "gpt", cs_model_params(m), m->n_params,
                           1, g, loss_obj, &c, 5e-3f, 1e-4, 5e-3);
  printf("model gradcheck (dropout %.1f): worst error %.3f of tolerance\n", (double)dropout,
         worst);
  free(g);
  cs_model_free(m);
}

static void test_gradcheck(void) { model_gradcheck(0.0f); }
static void test_gradcheck_dropout(void) { model_gradcheck(0.2f); }

/* Gradients accumulate until zero_grad; backward needs targets. */
static void test_backward_contract(void) {
  cs_model_t *m = new_model(7, 8, 1, 1, 4, 0.0f, 0.0f, 1);
  int32_t x[4] = {1, 2, 3, 4}, y[4] = {2, 3, 4, 5};
  cs_diag_t d;
  float loss;
  CHECK_INT(cs_model_backward(m, &d), CS_EINVAL);
  CHECK_INT(cs_model_forward(m, x, NULL, 1, 4, false, NULL, &loss, &d), CS_OK);
  CHECK(isnan(loss));
  CHECK_INT(cs_model_backward(m, &d), CS_EINVAL);
  CHECK_INT(cs_model_forward(m, x, y, 1, 4, false, NULL, &loss, &d), CS_OK);
  CHECK_INT(cs_model_backward(m, &d), CS_OK);
  float g0 = cs_model_grads(m)[m->n_params - 1];
  CHECK_INT(cs_model_backward(m, &d), CS_OK);
  CHECK(cs_model_grads(m)[m->n_params - 1] == 2.0f * g0);
  cs_model_zero_grad(m);
  CHECK(cs_model_grads(m)[m->n_params - 1] == 0.0f);
  /* bad inputs */
  int32_t bad[4] = {1, 7, 0, 0};
  CHECK_INT(cs_model_forward(m, bad, NULL, 1, 4, false, NULL, NULL, &d), CS_EINVAL);
  CHECK(strstr(d.msg, "inputs[1]") != NULL);
  CHECK_INT(cs_model_forward(m, x, NULL, 1, 9, false, NULL, NULL, &d), CS_EINVAL);
  cs_model_free(m);
}

static void test_presets(void) {
  cs_model_config_t c;
  cs_diag_t d;
  CHECK_INT(cs_model_preset("base", 256, &c, &d), CS_OK);
  size_t n = cs_model_config_num_params(&c);
  CHECK(n > 10800000 && n < 10900000); /* "about 10.8M" */
  CHECK_INT(c.n_layer, 6);
  CHECK_INT(cs_model_preset("small", 256, &c, &d), CS_OK);
  CHECK_INT(c.n_embd, 128);
  CHECK_INT(c.max_seq_len, 128);
  CHECK_INT(cs_model_preset("tiny", 256, &c, &d), CS_OK);
  CHECK_INT(c.n_layer, 2);
  CHECK_INT(cs_model_preset("huge", 256, &c, &d), CS_ENOTFOUND);
  CHECK_INT(cs_model_preset("tiny", 0, &c, &d), CS_EINVAL);
  cs_model_config_t odd = {10, 8, 1, 3, 8, 0.0f};
  CHECK_INT(cs_model_config_check(&odd, &d), CS_EINVAL);
  CHECK(strstr(d.msg, "n_head") != NULL);
}

/* A tiny model learns one sequence by heart: the loss drops far below ln V. */
static void test_overfit(void) {
  enum { T = 16, V = 32 };
  cs_model_config_t cfg;
  cs_diag_t d;
  CHECK_INT(cs_model_preset("tiny", V, &cfg, &d), CS_OK);
  cs_model_t *m = NULL;
  CHECK_INT(cs_model_new(&cfg, &m, &d), CS_OK);
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, 5);
  cs_model_init(m, &rng);
  int32_t seq[T + 1];
  random_tokens(seq, T + 1, V, 3);
  cs_adamw_t hp = cs_adamw_defaults();
  hp.lr = 1e-2f;
  hp.weight_decay = 0.0f;
  float first = 0.0f, loss = 0.0f;
  for (int step = 0; step < 80; step++) {
    cs_model_zero_grad(m);
    CHECK_INT(cs_model_forward(m, seq, seq + 1, 1, T, true, &rng, &loss, &d), CS_OK);
    if (step == 0) first = loss;
    CHECK_INT(cs_model_backward(m, &d), CS_OK);
    cs_model_clip_grad_norm(m, 1.0f);
    CHECK_INT(cs_model_adamw_step(m, &hp, &d), CS_OK);
  }
  printf("overfit: loss %.4f -> %.4f (ln V = %.4f)\n", (double)first, (double)loss, log(V));
  CHECK(fabsf(first - logf(V)) < 0.1f);
  CHECK(loss < 0.1f * logf(V));
  CHECK_INT(cs_model_step_count(m), 80);
  cs_model_free(m);
}

/* KV-cache logits equal the full forward's at every position. */
static void test_kv_cache(void) {
  enum { T = 12, V = 19 };
  cs_model_t *m = new_model(V, 16, 2, 2, 16, 0.1f, 0.2f, 11);
  int32_t x[T];
  random_tokens(x, T, V, 4);
  cs_diag_t d;
  CHECK_INT(cs_model_forward(m, x, NULL, 1, T, false, NULL, NULL, &d), CS_OK);
  const float *full = cs_model_logits(m);
  cs_model_kv_t *kv = NULL;
  CHECK_INT(cs_model_kv_new(m, &kv, &d), CS_OK);
  float worst = 0.0f;
  for (int t = 0; t < T; t++) {
    const float *lg;
    CHECK_INT(cs_model_kv_step(kv, x[t], &lg, &d), CS_OK);
    for (int v = 0; v < V; v++) worst = fmaxf(worst, fabsf(lg[v] - full[(size_t)t * V + v]));
  }
  printf("kv cache: max |logit difference| %.3g\n", (double)worst);
  CHECK(worst < 1e-4f);
  CHECK_INT(cs_model_kv_len(kv), T);
  const float *lg;
  CHECK_INT(cs_model_kv_step(kv, V, &lg, &d), CS_EINVAL);
  for (int t = T; t < 16; t++) CHECK_INT(cs_model_kv_step(kv, 0, &lg, &d), CS_OK);
  CHECK_INT(cs_model_kv_step(kv, 0, &lg, &d), CS_ERANGE);
  cs_model_kv_reset(kv);
  CHECK_INT(cs_model_kv_len(kv), 0);
  cs_model_kv_free(kv);
  cs_model_free(m);
}

static void test_sampling(void) {
  enum { V = 23 };
  cs_model_t *m = new_model(V, 16, 2, 2, 16, 0.0f, 0.5f, 12);
  const cs_model_t *ms[1] = {m};
  int32_t prompt[3] = {1, 2, 3}, a[40], b[40], c[40];
  size_t na, nb, nc;
  cs_diag_t d;
  cs_gen_opts_t o = cs_gen_defaults();
  o.max_tokens = 40; /* past the context of 16: the cache is rebuilt */
  o.seed = 1;
  CHECK_INT(cs_model_generate(ms, 1, prompt, 3, &o, a, &na, &d), CS_OK);
  CHECK_INT(cs_model_generate(ms, 1, prompt, 3, &o, b, &nb, &d), CS_OK);
  CHECK_INT(na, 40);
  CHECK(na == nb && memcmp(a, b, sizeof a) == 0);
  o.seed = 2;
  CHECK_INT(cs_model_generate(ms, 1, prompt, 3, &o, c, &nc, &d), CS_OK);
  CHECK(memcmp(a, c, sizeof a) != 0);
  /* top_k 1 is greedy; greedy continues with the full forward's argmax */
  o.top_k = 1;
  o.max_tokens = 5;
  CHECK_INT(cs_model_generate(ms, 1, prompt, 3, &o, a, &na, &d), CS_OK);
  o.top_k = 0;
  o.temperature = 0.0f;
  CHECK_INT(cs_model_generate(ms, 1, prompt, 3, &o, b, &nb, &d), CS_OK);
  CHECK(memcmp(a, b, 5 * sizeof(int32_t)) == 0);
  int32_t seq[8] = {1, 2, 3};
  memcpy(seq + 3, b, 5 * sizeof(int32_t));
  CHECK_INT(cs_model_forward(m, seq, NULL, 1, 7, false, NULL, NULL, &d), CS_OK);
  for (int t = 2; t < 7; t++) {
    const float *lg = cs_model_logits(m) + (size_t)t * V;
    int best = 0;
    for (int v = 1; v < V; v++)
      if (lg[v] > lg[best]) best = v;
    CHECK_INT(best, seq[t + 1]);
  }
  /* top_p tiny keeps only the most likely token, whatever the seed */
  o.temperature = 1.0f;
  o.top_p = 1e-6f;
  o.seed = 77;
  CHECK_INT(cs_model_generate(ms, 1, prompt, 3, &o, c, &nc, &d), CS_OK);
  CHECK(memcmp(c, b, 5 * sizeof(int32_t)) == 0);
  /* stop token */
  o.top_p = 1.0f;
  o.temperature = 0.0f;
  o.stop_token = b[1];
  CHECK_INT(cs_model_generate(ms, 1, prompt, 3, &o, c, &nc, &d), CS_OK);
  CHECK(nc <= 2 && c[nc - 1] == b[1]);
  o.temperature = -1.0f;
  CHECK_INT(cs_model_generate(ms, 1, prompt, 3, &o, c, &nc, &d), CS_EINVAL);
  cs_model_free(m);
}

/* Ensembles: two copies of a model sample like the model; two different
 * models pick the argmax of their distributions' mean weighted by how well
 * each predicted the prompt. */
static void test_ensemble(void) {
  enum { V = 17 };
  cs_model_t *m1 = new_model(V, 16, 1, 2, 8, 0.0f, 0.8f, 21);
  cs_model_t *m2 = new_model(V, 12, 1, 2, 8, 0.0f, 0.8f, 22);
  const cs_model_t *same[2] = {m1, m1}, *one[1] = {m1}, *both[2] = {m1, m2};
  int32_t prompt[4] = {3, 1, 4, 1}, a[30], b[30];
  size_t na, nb;
  cs_diag_t d;
  cs_gen_opts_t o = cs_gen_defaults();
  o.max_tokens = 30;
  o.seed = 9;
  CHECK_INT(cs_model_generate(one, 1, prompt, 4, &o, a, &na, &d), CS_OK);
  CHECK_INT(cs_model_generate(same, 2, prompt, 4, &o, b, &nb, &d), CS_OK);
  CHECK(na == nb && memcmp(a, b, sizeof a) == 0);
  /* the two next-token distributions by hand, weighted by the probability
   * each model gave the prompt's tokens after the first (Bayesian model
   * averaging) */
  double dist[2][V], w[2];
  for (int k = 0; k < 2; k++) {
    CHECK_INT(cs_model_forward((cs_model_t *)both[k], prompt, NULL, 1, 4, false, NULL, NULL, &d),
              CS_OK);
    w[k] = 1.0;
    for (int t = 0; t < 4; t++) {
      const float *lg = cs_model_logits(both[k]) + t * V;
      double mx = lg[0], s = 0.0;
      for (int v = 1; v < V; v++) mx = fmax(mx, lg[v]);
      for (int v = 0; v < V; v++) s += exp(lg[v] - mx);
      for (int v = 0; v < V; v++) dist[k][v] = exp(lg[v] - mx) / s;
      if (t < 3) w[k] *= dist[k][prompt[t + 1]];
    }
  }
  CHECK(fabs(w[0] - w[1]) > 1e-3 * (w[0] + w[1])); /* the weights matter here */
  float mean[V] = {0};
  for (int v = 0; v < V; v++)
    mean[v] = (float)((w[0] * dist[0][v] + w[1] * dist[1][v]) / (w[0] + w[1]));
  int best = 0;
  for (int v = 1; v < V; v++)
    if (mean[v] > mean[best]) best = v;
  o.temperature = 0.0f;
  o.max_tokens = 1;
  CHECK_INT(cs_model_generate(both, 2, prompt, 4, &o, a, &na, &d), CS_OK);
  CHECK_INT(a[0], best);
  cs_model_t *m3 = new_model(V + 1, 16, 1, 2, 8, 0.0f, 0.0f, 23);
  const cs_model_t *mixed[2] = {m1, m3};
  CHECK_INT(cs_model_generate(mixed, 2, prompt, 4, &o, a, &na, &d), CS_EINVAL);
  cs_model_free(m1);
  cs_model_free(m2);
  cs_model_free(m3);
}

/* The batch split (each thread its own sequences, private gradients added
 * in thread order) computes what one pass over the whole batch does: the
 * same loss and logits up to rounding, the same gradients up to the order
 * of the sums, and the same dropout masks (a wrong mask index would move
 * the gradients by far more than rounding). */
static void split_pass(cs_model_t *m, double split_min, const int32_t *in, const int32_t *tg,
                       int B, int T, float *out_loss, float *out_grads) {
  cs_diag_t d = {{0}};
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, 5);
  m->split_min = split_min;
  cs_model_zero_grad(m);
  CHECK_INT(cs_model_forward(m, in, tg, B, T, true, &rng, out_loss, &d), CS_OK);
  CHECK_INT(cs_model_backward(m, &d), CS_OK);
  memcpy(out_grads, cs_model_grads(m), m->n_params * sizeof(float));
}

static void test_batch_split(void) {
  enum { V = 19, B = 5, T = 8 }; /* 5 sequences: shares of 2 and 3 */
  int saved = omp_get_max_threads();
  omp_set_num_threads(2);
  for (int k = 0; k < 2; k++) {
    cs_model_t *m = new_model(V, T, 2, 2, 8, k ? 0.2f : 0.0f, 0.3f, 31);
    int32_t in[B * T], tg[B * T];
    for (int i = 0; i < B * T; i++) in[i] = (i * 7 + 3) % V, tg[i] = (i * 5 + 1) % V;
    float l1, l2, *g1 = malloc(m->n_params * sizeof(float)), *g2 = malloc(m->n_params * sizeof(float));
    split_pass(m, 1e30, in, tg, B, T, &l1, g1); /* never split */
    split_pass(m, 0.0, in, tg, B, T, &l2, g2);  /* always split */
    CHECK(fabsf(l1 - l2) <= 1e-6f * fabsf(l1));
    double worst = 0.0;
    for (size_t i = 0; i < m->n_params; i++)
      worst = fmax(worst, fabs((double)g1[i] - g2[i]) / (1e-6 + 1e-4 * fabs((double)g1[i])));
    printf("batch split (dropout %.1f): loss %.7f vs %.7f, gradients: worst %.3g of tolerance\n",
           k ? 0.2 : 0.0, (double)l1, (double)l2, worst);
    CHECK(worst <= 1.0);
    free(g1);
    free(g2);
    cs_model_free(m);
  }
  omp_set_num_threads(saved);
}

RUN_TESTS(test_gradcheck, test_gradcheck_dropout, test_backward_contract, test_presets,
          test_overfit, test_kv_cache, test_sampling, test_ensemble, test_batch_split)
