/* test_layers.c — every layer's backward against finite differences, and
 * the BLAS matmul against the reference loops. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"
#include "model/model_int.h"

#define EPS 1e-2f
#define ATOL 1e-4
#define RTOL 2e-3

static cs_model_rng_t rng;

static float *rnd(size_t n, float std) {
  float *p = malloc(n * sizeof(float));
  fill_randn(p, n, std, &rng);
  return p;
}
static float *zeros(size_t n) { return calloc(n, sizeof(float)); }

/* ---- encoder ---- */
typedef struct {
  float *out, *wte, *wpe, *r;
  int32_t *inp;
  int B, T, C;
} enc_t;
static double enc_obj(void *p) {
  enc_t *c = p;
  cs__encoder_forward(c->out, c->inp, c->wte, c->wpe, c->B, c->T, c->C);
  return dot_obj(c->out, c->r, (size_t)c->B * c->T * c->C);
}
static void test_encoder(void) {
  enc_t c = {.B = 2, .T = 3, .C = 4};
  int V = 5;
  int32_t inp[6] = {1, 4, 1, 0, 1, 2}; /* token 1 repeats: dwte accumulates */
  c.inp = inp;
  c.wte = rnd((size_t)V * c.C, 1.0f), c.wpe = rnd((size_t)c.T * c.C, 1.0f);
  c.out = zeros(24), c.r = rnd(24, 1.0f);
  float *dwte = zeros((size_t)V * c.C), *dwpe = zeros((size_t)c.T * c.C);
  cs__encoder_backward(dwte, dwpe, c.r, inp, c.B, c.T, c.C);
  gradcheck("encoder.wte", c.wte, (size_t)V * c.C, 1, dwte, enc_obj, &c, EPS, ATOL, RTOL);
  gradcheck("encoder.wpe", c.wpe, (size_t)c.T * c.C, 1, dwpe, enc_obj, &c, EPS, ATOL, RTOL);
  free(c.wte), free(c.wpe), free(c.out), free(c.r), free(dwte), free(dwpe);
}

/* ---- layernorm ---- */
typedef struct {
  float *out, *mean, *rstd, *inp, *w, *b, *r;
  int N, C;
} ln_t;
static double ln_obj(void *p) {
  ln_t *c = p;
  cs__layernorm_forward(c->out, c->mean, c->rstd, c->inp, c->w, c->b, c->N, c->C);
  return dot_obj(c->out, c->r, (size_t)c->N * c->C);
}
static void test_layernorm(void) {
  ln_t c = {.N = 5, .C = 24}; /* C > 16: two channel blocks in the backward */
  size_t n = (size_t)c.N * c.C;
  c.out = zeros(n), c.mean = zeros(5), c.rstd = zeros(5), c.inp = rnd(n, 1.0f);
  c.w = rnd(24, 1.0f), c.b = rnd(24, 1.0f), c.r = rnd(n, 1.0f);
  ln_obj(&c);
  float *dinp = zeros(n), *dw = zeros(24), *db = zeros(24);
  cs__layernorm_backward(dinp, dw, db, c.r, c.inp, c.w, c.mean, c.rstd, c.N, c.C);
  gradcheck("layernorm.inp", c.inp, n, 1, dinp, ln_obj, &c, EPS, ATOL, RTOL);
  gradcheck("layernorm.weight", c.w, 24, 1, dw, ln_obj, &c, EPS, ATOL, RTOL);
  gradcheck("layernorm.bias", c.b, 24, 1, db, ln_obj, &c, EPS, ATOL, RTOL);
  free(c.out), free(c.mean), free(c.rstd), free(c.inp), free(c.w), free(c.b), free(c.r);
  free(dinp), free(dw), free(db);
}

/* ---- matmul ---- */
typedef struct {
  float *out, *inp, *w, *b, *r;
  int N, C, OC;
} mm_t;
static double mm_obj(void *p) {
  mm_t *c = p;
  cs__matmul_forward(c->out, c->inp, c->w, c->b, c->N, c->C, c->OC);
  return dot_obj(c->out, c->r, (size_t)c->N * c->OC);
}
static void test_matmul_grad(void) {
  mm_t c = {.N = 4, .C = 5, .OC = 6};
  c.out = zeros(24), c.inp = rnd(20, 1.0f), c.w = rnd(30, 1.0f), c.b = rnd(6, 1.0f);
  c.r = rnd(24, 1.0f);
  float *dinp = zeros(20), *dw = zeros(30), *db = zeros(6);
  cs__matmul_backward(dinp, dw, db, c.r, c.inp, c.w, c.N, c.C, c.OC);
  gradcheck("matmul.inp", c.inp, 20, 1, dinp, mm_obj, &c, EPS, ATOL, RTOL);
  gradcheck("matmul.weight", c.w, 30, 1, dw, mm_obj, &c, EPS, ATOL, RTOL);
  gradcheck("matmul.bias", c.b, 6, 1, db, mm_obj, &c, EPS, ATOL, RTOL);
  free(c.out), free(c.inp), free(c.w), free(c.b), free(c.r), free(dinp), free(dw), free(db);
}

static float max_diff(const float *a, const float *b, size_t n) {
  float d = 0.0f;
  for (size_t i = 0; i < n; i++) d = fmaxf(d, fabsf(a[i] - b[i]));
  return d;
}

/* BLAS against the reference loops, on odd sizes and accumulating into
 * non-zero gradients. */
static void test_matmul_fast_vs_ref(void) {
  int N = 37, C = 29, OC = 41;
  float *inp = rnd((size_t)N * C, 1.0f), *w = rnd((size_t)OC * C, 1.0f), *b = rnd(OC, 1.0f);
  float *o1 = zeros((size_t)N * OC), *o2 = zeros((size_t)N * OC), *dout = rnd((size_t)N * OC, 1.0f);
  cs__matmul_forward(o1, inp, w, b, N, C, OC);
  cs__matmul_forward_ref(o2, inp, w, b, N, C, OC);
  CHECK(max_diff(o1, o2, (size_t)N * OC) < 1e-4f);
  cs__matmul_forward(o1, inp, w, NULL, N, C, OC);
  cs__matmul_forward_ref(o2, inp, w, NULL, N, C, OC);
  CHECK(max_diff(o1, o2, (size_t)N * OC) < 1e-4f);
  float *di1 = rnd((size_t)N * C, 1.0f), *dw1 = rnd((size_t)OC * C, 1.0f), *db1 = rnd(OC, 1.0f);
  float *di2 = malloc((size_t)N * C * 4), *dw2 = malloc((size_t)OC * C * 4), *db2 = malloc(OC * 4);
  memcpy(di2, di1, (size_t)N * C * 4), memcpy(dw2, dw1, (size_t)OC * C * 4), memcpy(db2, db1, OC * 4);
  cs__matmul_backward(di1, dw1, db1, dout, inp, w, N, C, OC);
  cs__matmul_backward_ref(di2, dw2, db2, dout, inp, w, N, C, OC);
  CHECK(max_diff(di1, di2, (size_t)N * C) < 1e-4f);
  CHECK(max_diff(dw1, dw2, (size_t)OC * C) < 1e-4f);
  CHECK(max_diff(db1, db2, OC) < 1e-4f);
  free(inp), free(w), free(b), free(o1), free(o2), free(dout);
  free(di1), free(dw1), free(db1), free(di2), free(dw2), free(db2);
}

/* The fused linear + GELU against the two kernels it replaces, on a row
 * count that leaves a partial block. */
static void test_matmul_gelu_fused(void) {
  int N = 131, C = 24, OC = 96;
  size_t no = (size_t)N * OC;
  float *inp = rnd((size_t)N * C, 1.0f), *w = rnd((size_t)OC * C, 0.5f), *b = rnd(OC, 1.0f);
  float *pre1 = zeros(no), *out1 = zeros(no), *pre2 = zeros(no), *out2 = zeros(no);
  cs__matmul_gelu_forward(pre1, out1, inp, w, b, N, C, OC);
  cs__matmul_forward_ref(pre2, inp, w, b, N, C, OC);
  cs__gelu_forward_ref(out2, pre2, no);
  CHECK(max_diff(pre1, pre2, no) < 1e-4f);
  CHECK(max_diff(out1, out2, no) < 1e-4f);
  free(inp), free(w), free(b), free(pre1), free(out1), free(pre2), free(out2);
}

/* The fused MLP backward against the reference kernels it replaces, with
 * non-zero gradients to accumulate into and a partial row block. */
static void test_mlp_backward_fused(void) {
  int N = 131, C = 24, OC = 96;
  size_t nc = (size_t)N * C, no = (size_t)N * OC, w = (size_t)OC * C;
  float *inp = rnd(nc, 1.0f), *wfc = rnd(w, 0.5f), *wpr = rnd(w, 0.5f), *bfc = rnd(OC, 1.0f);
  float *pre = zeros(no), *act = zeros(no), *dproj = rnd(nc, 1.0f);
  cs__matmul_forward_ref(pre, inp, wfc, bfc, N, C, OC);
  cs__gelu_forward_ref(act, pre, no);
  float *g1[5], *g2[5];
  size_t gn[5] = {nc, w, (size_t)OC, w, (size_t)C}; /* dinp dw_fc db_fc dw_proj db_proj */
  for (int i = 0; i < 5; i++) {
    g1[i] = rnd(gn[i], 1.0f);
    g2[i] = malloc(gn[i] * sizeof(float));
    memcpy(g2[i], g1[i], gn[i] * sizeof(float));
  }
  float *dpre1 = rnd(no, 1.0f), *dact1 = rnd(no, 1.0f); /* garbage: must be overwritten */
  float *dpre2 = zeros(no), *dact2 = zeros(no);
  cs__mlp_backward(g1[0], g1[1], g1[2], g1[3], g1[4], dpre1, dact1, dproj, inp, pre, act, wfc,
                   wpr, N, C, OC);
  cs__matmul_backward_ref(dact2, g2[3], g2[4], dproj, act, wpr, N, OC, C);
  cs__gelu_backward_ref(dpre2, pre, dact2, no);
  cs__matmul_backward_ref(g2[0], g2[1], g2[2], dpre2, inp, wfc, N, C, OC);
  CHECK(max_diff(dact1, dact2, no) < 1e-4f);
  CHECK(max_diff(dpre1, dpre2, no) < 1e-4f);
  for (int i = 0; i < 5; i++) {
    CHECK(max_diff(g1[i], g2[i], gn[i]) < 1e-3f);
    free(g1[i]), free(g2[i]);
  }
  free(inp), free(wfc), free(wpr), free(bfc), free(pre), free(act), free(dproj);
  free(dpre1), free(dact1), free(dpre2), free(dact2);
}

/* ---- attention ---- */
typedef struct {
  float *out, *att, *inp, *r, *scratch;
  int B, T, C, NH;
  cs__drop_t drop;
  int ref;
} att_t;
static double att_obj(void *p) {
  att_t *c = p;
  if (c->ref) cs__attention_forward_ref(c->out, c->att, c->inp, c->B, c->T, c->C, c->NH, &c->drop);
  else cs__attention_forward(c->out, c->att, c->scratch, c->inp, c->B, c->T, c->C, c->NH, &c->drop);
  return dot_obj(c->out, c->r, (size_t)c->B * c->T * c->C);
}
static float *att_scratch(int T, int C, int NH) {
  return zeros((size_t)omp_get_max_threads() * cs__att_scratch_floats(T, C, NH));
}

static void attention_case(float p, int ref) {
  att_t c = {.B = 2, .T = 5, .C = 8, .NH = 2, .drop = {p, 1234, 7}, .ref = ref};
  c.scratch = att_scratch(c.T, c.C, c.NH);
  size_t n_in = (size_t)c.B * c.T * 3 * c.C, n_out = (size_t)c.B * c.T * c.C;
  size_t n_att = (size_t)c.B * c.NH * c.T * c.T;
  c.out = zeros(n_out), c.att = zeros(n_att), c.inp = rnd(n_in, 1.0f), c.r = rnd(n_out, 1.0f);
  att_obj(&c);
  /* rows sum to one and nothing attends to the future */
  for (int row = 0; row < c.B * c.NH * c.T; row++) {
    int t = row % c.T;
    double s = 0.0;
    for (int t2 = 0; t2 < c.T; t2++) {
      s += c.att[(size_t)row * c.T + t2];
      if (t2 > t) CHECK(c.att[(size_t)row * c.T + t2] == 0.0f);
    }
    CHECK(fabs(s - 1.0) < 1e-5);
  }
  float *dinp = zeros(n_in), *datt = zeros(n_att);
  if (ref) cs__attention_backward_ref(dinp, datt, c.r, c.inp, c.att, c.B, c.T, c.C, c.NH, &c.drop);
  else cs__attention_backward(dinp, datt, c.scratch, c.r, c.inp, c.att, c.B, c.T, c.C, c.NH,
                              &c.drop);
  gradcheck(p > 0 ? "attention+dropout.inp" : "attention.inp", c.inp, n_in, 1, dinp, att_obj, &c,
            EPS, ATOL, RTOL);
  free(c.out), free(c.att), free(c.inp), free(c.r), free(dinp), free(datt), free(c.scratch);
}
static void test_attention(void) {
  for (int ref = 0; ref < 2; ref++) {
    attention_case(0.0f, ref);
    attention_case(0.3f, ref);
  }
}

/* BLAS attention against the loops, over more rows than one block (64). */
static void attention_fast_vs_ref(float p) {
  int B = 2, T = 70, C = 12, NH = 3;
  cs__drop_t drop = {p, 77, 5, 0};
  size_t n_in = (size_t)B * T * 3 * C, n_out = (size_t)B * T * C, n_att = (size_t)B * NH * T * T;
  float *inp = rnd(n_in, 1.0f), *dout = rnd(n_out, 1.0f), *scratch = att_scratch(T, C, NH);
  float *o1 = zeros(n_out), *o2 = zeros(n_out), *a1 = zeros(n_att), *a2 = zeros(n_att);
  float *d1 = rnd(n_in, 1.0f), *d2 = malloc(n_in * 4), *s1 = zeros(n_att), *s2 = zeros(n_att);
  float *d0 = malloc(n_in * 4);
  memcpy(d2, d1, n_in * 4);
  memcpy(d0, d1, n_in * 4);
  cs__attention_forward(o1, a1, scratch, inp, B, T, C, NH, &drop);
  cs__attention_forward_ref(o2, a2, inp, B, T, C, NH, &drop);
  CHECK(max_diff(o1, o2, n_out) < 1e-5f);
  CHECK(max_diff(a1, a2, n_att) < 1e-6f);
  cs__attention_backward(d1, s1, scratch, dout, inp, a1, B, T, C, NH, &drop);
  cs__attention_backward_ref(d2, s2, dout, inp, a2, B, T, C, NH, &drop);
  CHECK(max_diff(d1, d2, n_in) < 1e-4f);
  if (p == 0.0f) { /* without scratch: the operands read in place, the same sums */
    float *o3 = zeros(n_out), *a3 = zeros(n_att), *d3 = malloc(n_in * 4), *s3 = zeros(n_att);
    memcpy(d3, d0, n_in * 4);
    cs__attention_forward(o3, a3, NULL, inp, B, T, C, NH, &drop);
    cs__attention_backward(d3, s3, NULL, dout, inp, a3, B, T, C, NH, &drop);
    CHECK(max_diff(o3, o1, n_out) < 1e-6f);
    CHECK(max_diff(d3, d1, n_in) < 1e-5f);
    free(o3), free(a3), free(d3), free(s3);
  }
  free(inp), free(dout), free(scratch), free(o1), free(o2), free(a1), free(a2);
  free(d0), free(d1), free(d2), free(s1), free(s2);
}
static void test_attention_fast_vs_ref(void) {
  attention_fast_vs_ref(0.0f);
  attention_fast_vs_ref(0.25f);
}

/* The cached single-query path equals the last row of the full forward. */
static void test_attention_step(void) {
  int T = 6, C = 12, NH = 3;
  cs__drop_t none = {0.0f, 0, 0, 0};
  float *inp = rnd((size_t)T * 3 * C, 1.0f), *out = zeros((size_t)T * C);
  float *att = zeros((size_t)NH * T * T), *k = zeros((size_t)T * C), *v = zeros((size_t)T * C);
  float *o = zeros(C), *scratch = zeros((size_t)NH * T);
  cs__attention_forward(out, att, NULL, inp, 1, T, C, NH, &none);
  for (int t = 0; t < T; t++) {
    memcpy(k + (size_t)t * C, inp + (size_t)t * 3 * C + C, (size_t)C * 4);
    memcpy(v + (size_t)t * C, inp + (size_t)t * 3 * C + 2 * C, (size_t)C * 4);
  }
  cs__attention_step(o, scratch, inp + (size_t)(T - 1) * 3 * C, k, v, T, C, NH);
  CHECK(max_diff(o, out + (size_t)(T - 1) * C, C) < 1e-6f);
  free(inp), free(out), free(att), free(k), free(v), free(o), free(scratch);
}

/* ---- gelu, residual ---- */
typedef struct {
  float *out, *inp, *r;
  size_t n;
} gelu_t;
static double gelu_obj(void *p) {
  gelu_t *c = p;
  cs__gelu_forward(c->out, c->inp, c->n);
  return dot_obj(c->out, c->r, c->n);
}
static void test_gelu(void) {
  gelu_t c = {.n = 40};
  c.out = zeros(40), c.inp = rnd(40, 3.0f), c.r = rnd(40, 1.0f);
  float *dinp = zeros(40);
  cs__gelu_backward(dinp, c.inp, c.r, 40);
  gradcheck("gelu.inp", c.inp, 40, 1, dinp, gelu_obj, &c, 1e-3f, ATOL, RTOL);
  /* known values of the tanh approximation */
  float x[3] = {0.0f, 1.0f, -2.0f}, y[3];
  cs__gelu_forward(y, x, 3);
  CHECK(y[0] == 0.0f);
  CHECK(fabsf(y[1] - 0.8411920f) < 1e-6f);
  CHECK(fabsf(y[2] - -0.0454023f) < 1e-6f);
  free(c.out), free(c.inp), free(c.r), free(dinp);
}

/* The fast GELU (sigmoid form, polynomial exp) against the tanhf formula and
 * against the formula in double, over a range with saturation on both
 * sides. Where 1 + tanh(u) cancels (x < -3) the tanh formula loses digits
 * that the sigmoid form keeps, so there only the double reference counts. */
static void test_gelu_fast_vs_ref(void) {
  enum { N = 4001 };
  float *x = zeros(N), *y1 = zeros(N), *y2 = zeros(N), *g1 = zeros(N), *g2 = zeros(N);
  float *ones = zeros(N);
  for (int i = 0; i < N; i++) x[i] = -100.0f + 0.05f * (float)i, ones[i] = 1.0f;
  cs__gelu_forward(y1, x, N);
  cs__gelu_forward_ref(y2, x, N);
  cs__gelu_backward(g1, x, ones, N);
  cs__gelu_backward_ref(g2, x, ones, N);
  double wy = 0.0, wg = 0.0;
  for (int i = 0; i < N; i++) {
    CHECK(isfinite(y1[i]) && isfinite(g1[i]));
    double xd = x[i], ud = 0.7978845608028654 * (xd + 0.044715 * xd * xd * xd);
    double yd = xd / (1.0 + exp(-2.0 * ud)); /* = 0.5 x (1 + tanh u), stable */
    wy = fmax(wy, fabs(y1[i] - yd) / (1e-14 + fabs(yd)));
    CHECK(fabs(y1[i] - y2[i]) <= 1e-6 * (1.0 + fabs(xd))); /* tanhf formula, absolute */
    wg = fmax(wg, fabs(g1[i] - g2[i]));
  }
  printf("gelu fast vs ref: max relative error %.3g, max gradient error %.3g\n", (double)wy,
         (double)wg);
  CHECK(wy < 5e-6);
  CHECK(wg < 1e-5);
  free(x), free(y1), free(y2), free(g1), free(g2), free(ones);
}

typedef struct {
  float *out, *a, *b, *r;
} res_t;
static double res_obj(void *p) {
  res_t *c = p;
  cs__residual_forward(c->out, c->a, c->b, 10);
  return dot_obj(c->out, c->r, 10);
}
static void test_residual(void) {
  res_t c = {zeros(10), rnd(10, 1.0f), rnd(10, 1.0f), rnd(10, 1.0f)};
  float *da = zeros(10), *db = zeros(10);
  cs__residual_backward(da, db, c.r, 10);
  gradcheck("residual.a", c.a, 10, 1, da, res_obj, &c, EPS, ATOL, RTOL);
  gradcheck("residual.b", c.b, 10, 1, db, res_obj, &c, EPS, ATOL, RTOL);
  free(c.out), free(c.a), free(c.b), free(c.r), free(da), free(db);
}

/* ---- softmax + cross-entropy ---- */
typedef struct {
  float *probs, *losses, *logits, *r;
  int32_t *targets;
  int N, V;
} ce_t;
static double ce_obj(void *p) {
  ce_t *c = p;
  cs__crossentropy_forward(c->probs, c->losses, c->logits, c->targets, c->N, c->V);
  return dot_obj(c->losses, c->r, (size_t)c->N);
}
static void test_crossentropy(void) {
  int32_t targets[4] = {2, 0, 6, 2};
  ce_t c = {zeros(28), zeros(4), rnd(28, 2.0f), rnd(4, 1.0f), targets, 4, 7};
  ce_obj(&c);
  float *dlogits = zeros(28);
  cs__crossentropy_backward(dlogits, c.r, c.probs, targets, 4, 7);
  gradcheck("crossentropy.logits", c.logits, 28, 1, dlogits, ce_obj, &c, EPS, ATOL, RTOL);
  /* uniform logits: loss is ln V */
  memset(c.logits, 0, 28 * 4);
  ce_obj(&c);
  CHECK(fabsf(c.losses[0] - logf(7.0f)) < 1e-6f);
  free(c.probs), free(c.losses), free(c.logits), free(c.r), free(dlogits);
}

/* ---- dropout ---- */
static void test_dropout(void) {
  size_t n = 100000;
  cs__drop_t d = {0.25f, 99, 3, 0};
  float *x = zeros(n), *y = zeros(n), *dx = zeros(n);
  for (size_t i = 0; i < n; i++) x[i] = 1.0f;
  cs__dropout_forward(y, x, n, &d);
  size_t dropped = 0;
  for (size_t i = 0; i < n; i++) {
    if (y[i] == 0.0f) dropped++;
    else CHECK(fabsf(y[i] - 1.0f / 0.75f) < 1e-6f);
  }
  CHECK(dropped > 24000 && dropped < 26000);
  cs__dropout_backward(dx, x, n, &d); /* dout of ones: dx equals the mask */
  CHECK(memcmp(dx, y, n * 4) == 0);
  cs__drop_t other = {0.25f, 100, 3, 0};
  cs__dropout_forward(dx, x, n, &other);
  CHECK(memcmp(dx, y, n * 4) != 0); /* another seed, another mask */
  free(x), free(y), free(dx);
}

static void setup(void) { cs_model_rng_seed(&rng, 42); }

RUN_TESTS(setup, test_encoder, test_layernorm, test_matmul_grad, test_matmul_fast_vs_ref, test_matmul_gelu_fused,
          test_mlp_backward_fused,
          test_attention, test_attention_fast_vs_ref, test_attention_step, test_gelu, test_gelu_fast_vs_ref, test_residual, test_crossentropy,
          test_dropout)
