/* gelu.c — GELU with the tanh approximation (GPT-2's "gelu_new"):
 * y = 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x³).
 *
 * The fast kernels use the identity 0.5 (1 + tanh(u)) = sigmoid(2u) with an
 * exp that the compiler can vectorise (libm's tanhf was a third of a
 * training step). The *_ref kernels are the formula with tanhf, kept as the
 * definition; the tests hold the two within 1e-6 relative. */
#include <math.h>
#include <string.h>

#include "model/model_int.h"

/* Floating-point exceptions are never inspected in consentry; telling the
 * compiler so lets it turn the clamps in exp_fast into vector blends. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#define GELU_SCALE 0.7978845608028654f /* sqrt(2/pi) */
#define GELU_CUBIC 0.044715f

/* exp(x) for |x| <= 87 within 2 ulp: x = n ln2 + r, |r| <= ln2/2, a degree-6
 * polynomial for exp(r), 2^n put into the exponent bits. Inputs are
 * clamped, so the result is finite and normal. */
static inline float exp_fast(float x) {
  x = x < -87.0f ? -87.0f : x;
  x = x > 87.0f ? 87.0f : x;
  /* round to nearest by the 1.5·2^23 trick: plain SSE2, so it vectorises */
  float n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
  float r = x - n * 0.693359375f + n * 2.12194440e-4f; /* ln2 in two parts */
  float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.166666672f + r * (4.16666418e-2f +
                        r * (8.33336823e-3f + r * 1.38889826e-3f)))));
  int32_t bits = ((int32_t)n + 127) << 23;
  float scale;
  memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

static inline float gelu_fast(float x) {
  float u = GELU_SCALE * (x + GELU_CUBIC * x * x * x);
  return x / (1.0f + exp_fast(-2.0f * u));
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
  float s = 1.0f / (1.0f + exp_fast(-2.0f * u)); /* (1 + tanh u) / 2 */
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
