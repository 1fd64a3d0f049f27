/* rng.c — the model's explicit random state: xoshiro256** seeded through
 * splitmix64, so no seed gives the all-zero state. */
#include <math.h>

#include "model/model_int.h"

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void cs_model_rng_seed(cs_model_rng_t *rng, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) rng->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t cs_model_rng_next(cs_model_rng_t *rng) {
  uint64_t *s = rng->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

float cs_model_rng_uniform(cs_model_rng_t *rng) {
  return (float)(cs_model_rng_next(rng) >> 40) * (1.0f / 16777216.0f);
}

float cs__rng_normal(cs_model_rng_t *rng) {
  /* u1 in (0,1] so the log is finite */
  double u1 = ((double)(cs_model_rng_next(rng) >> 11) + 1.0) * (1.0 / 9007199254740992.0);
  double u2 = (double)(cs_model_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
  return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}
