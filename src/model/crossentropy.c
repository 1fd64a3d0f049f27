/* crossentropy.c — softmax over the vocabulary and the cross-entropy loss,
 * fused: the backward of both together is probs - onehot(target).
 * Exponentials use cs__exp_fast (2 ulp, vectorised); the loss itself is
 * log(sum) - (z - max), exact to the sum's rounding. */
#include <math.h>

#include "model/model_int.h"

void cs__crossentropy_forward(float *probs, float *losses, const float *logits,
                              const int32_t *targets, int N, int V) {
  /* probs (N,V), losses (N), logits (N,V), targets (N) */
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * V))
  for (int n = 0; n < N; n++) {
    const float *z = logits + (size_t)n * V;
    float *p = probs + (size_t)n * V;
    float maxv = z[0];
#pragma omp simd reduction(max : maxv)
    for (int v = 1; v < V; v++) maxv = z[v] > maxv ? z[v] : maxv;
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int v = 0; v < V; v++) {
      p[v] = cs__exp_fast(z[v] - maxv);
      sum += p[v];
    }
    float inv = 1.0f / sum;
#pragma omp simd
    for (int v = 0; v < V; v++) p[v] *= inv;
    /* -log p[target] from the logits, exact even where p underflows */
    if (losses) losses[n] = logf(sum) - (z[targets[n]] - maxv);
  }
}

void cs__crossentropy_backward(float *dlogits, const float *dlosses, const float *probs,
                               const int32_t *targets, int N, int V) {
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * V))
  for (int n = 0; n < N; n++) {
    float *dz = dlogits + (size_t)n * V;
    const float *p = probs + (size_t)n * V;
    float dl = dlosses[n];
#pragma omp simd
    for (int v = 0; v < V; v++) dz[v] += p[v] * dl;
    dz[targets[n]] -= dl;
  }
}
