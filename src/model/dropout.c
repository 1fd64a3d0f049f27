/* dropout.c — inverted dropout with masks hashed from (seed, site, index).
 *
 * Element i of site s is kept when hash(seed, s, i) falls at or above p in
 * [0,1); kept elements are scaled by 1/(1-p) so the expectation is
 * unchanged. No mask is stored: backward hashes again. */
#include "model/model_int.h"

static uint64_t mix(uint64_t x) {
  x += UINT64_C(0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
  return x ^ (x >> 31);
}

float cs__drop_scale(const cs__drop_t *d, size_t i) {
  uint64_t h = mix(d->seed ^ mix(d->site * UINT64_C(0xd1b54a32d192ed03) + d->offset + (uint64_t)i));
  float u = (float)(h >> 40) * (1.0f / 16777216.0f);
  return u < d->p ? 0.0f : 1.0f / (1.0f - d->p);
}

void cs__dropout_forward(float *out, const float *inp, size_t N, const cs__drop_t *d) {
#pragma omp parallel for schedule(static) if (CS__PAR(N))
  for (size_t i = 0; i < N; i++) out[i] = inp[i] * cs__drop_scale(d, i);
}

void cs__dropout_backward(float *dinp, const float *dout, size_t N, const cs__drop_t *d) {
  if (dinp == dout) {
#pragma omp parallel for schedule(static) if (CS__PAR(N))
    for (size_t i = 0; i < N; i++) dinp[i] = dout[i] * cs__drop_scale(d, i);
    return;
  }
#pragma omp parallel for schedule(static) if (CS__PAR(N))
  for (size_t i = 0; i < N; i++) dinp[i] += dout[i] * cs__drop_scale(d, i);
}
