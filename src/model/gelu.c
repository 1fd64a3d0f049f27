/* gelu.c — GELU with the tanh approximation (GPT-2's "gelu_new"):
 * y = 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x³).
 *
 * The fast kernels use the identity 0.5 (1 + tanh(u)) = sigmoid(2u) with an
 * exp that the compiler can vectorise (cs__exp_fast, model_int.h; libm's
 * tanhf was a third of a training step). The *_ref kernels are the formula
 * with tanhf, kept as the definition; the tests hold the two within 1e-6
 * relative. */

/* Floating-point exceptions are never inspected in consentry; telling the
 * compiler so lets it turn the clamps in cs__exp_fast into vector blends. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
/* (Before the includes: a function compiled under other optimize options
 * than its caller, like cs__exp_fast from model_int.h, is not inlined.) */

#include <math.h>
#include <string.h>

#include "model/model_int.h"

#define GELU_SCALE 0.7978845608028654f /* sqrt(2/pi) */
#define GELU_CUBIC 0.044715f

static inline float gelu_fast(float x) {
  float u = GELU_SCALE * (x + GELU_CUBIC * x * x * x);
  return x / (1.0f + cs__exp_fast(-2.0f * u));
}

void cs__gelu_forward(float *out, const float *inp, size_t N) {
#pragma omp parallel for simd schedule(static) if (CS__PAR(N))
  for (size_t i = 0; i < N; i++) out[i] = gelu_fast(inp[i]);
}

CS__WIDE_CLONES void cs__bias_gelu_rows(float *pre, float *out, const float *bias, int n, int OC) {
  for (int r = 0; r < n; r++) {
    float *p = pre + (size_t)r * OC, *o = out + (size_t)r * OC;
#pragma omp simd
    for (int j = 0; j < OC; j++) {
      float x = p[j] + bias[j];
      p[j] = x;
      o[j] = gelu_fast(x);
    }
  }
}

static inline float gelu_grad_fast(float x) {
  float u = GELU_SCALE * (x + GELU_CUBIC * x * x * x);
  float s = 1.0f / (1.0f + cs__exp_fast(-2.0f * u)); /* (1 + tanh u) / 2 */
  float du = GELU_SCALE * (1.0f + 3.0f * GELU_CUBIC * x * x);
  /* d/dx [x s(2u)] = s + 2 x s (1 - s) u' */
  return s + 2.0f * x * s * (1.0f - s) * du;
}

void cs__gelu_backward(float *dinp, const float *inp, const float *dout, size_t N) {
#pragma omp parallel for simd schedule(static) if (CS__PAR(N))
  for (size_t i = 0; i < N; i++) dinp[i] += gelu_grad_fast(inp[i]) * dout[i];
}

CS__WIDE_CLONES void cs__gelu_backward_rows(float *dinp, const float *inp, const float *dout, size_t N) {
#pragma omp simd
  for (size_t i = 0; i < N; i++) dinp[i] = gelu_grad_fast(inp[i]) * dout[i];
}

void cs__gelu_forward_ref(float *out, const float *inp, size_t N) {
  for (size_t i = 0; i < N; i++) {
    float x = inp[i];
    out[i] = 0.5f * x * (1.0f + tanhf(GELU_SCALE * (x + GELU_CUBIC * x * x * x)));
  }
}

void cs__gelu_backward_ref(float *dinp, const float *inp, const float *dout, size_t N) {
  for (size_t i = 0; i < N; i++) {
    float x = inp[i];
    float th = tanhf(GELU_SCALE * (x + GELU_CUBIC * x * x * x));
    float sech2 = 1.0f - th * th;
    float local = 0.5f * (1.0f + th) +
                  0.5f * x * sech2 * GELU_SCALE * (1.0f + 3.0f * GELU_CUBIC * x * x);
    dinp[i] += local * dout[i];
  }
}
