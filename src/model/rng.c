/* rng.c — the model's explicit random state: xoshiro256** seeded through
 * splitmix64, so no seed gives the all-zero state. */
#include <math.h>

#include "core/xoshiro.h"
#include "model/model_int.h"

void cs_model_rng_seed(cs_model_rng_t *rng, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) rng->s[i] = cs__splitmix64(&x);
}

uint64_t cs_model_rng_next(cs_model_rng_t *rng) { return cs__xoshiro256ss(rng->s); }

float cs_model_rng_uniform(cs_model_rng_t *rng) {
  return (float)(cs_model_rng_next(rng) >> 40) * (1.0f / 16777216.0f);
}

float cs__rng_normal(cs_model_rng_t *rng) {
  /* u1 in (0,1] so the log is finite */
  double u1 = ((double)(cs_model_rng_next(rng) >> 11) + 1.0) * (1.0 / 9007199254740992.0);
  double u2 = (double)(cs_model_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
  return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}
