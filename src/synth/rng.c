/* rng.c — xoshiro256** (Blackman & Vigna) with explicit state.
 *
 * Seeding runs splitmix64 over (seed, stream) so that every stream of one
 * seed is independent and no state is ever all zero. Nothing here is global:
 * the same seed gives the same sequence on every machine and thread.
 */
#include "core/xoshiro.h"
#include "synth/synth_int.h"

uint64_t cs__mix64(uint64_t x) { return cs__splitmix64(&x); }

void cs__rng_seed(cs__rng_t *r, uint64_t seed, uint64_t stream) {
  uint64_t x = cs__mix64(seed) ^ cs__mix64(stream ^ UINT64_C(0x5851f42d4c957f2d));
  for (int i = 0; i < 4; i++) {
    x += UINT64_C(0x9e3779b97f4a7c15);
    r->s[i] = cs__mix64(x);
  }
}

uint64_t cs__rng_next(cs__rng_t *r) { return cs__xoshiro256ss(r->s); }

/* Lemire's multiply-shift: the bias is below 2^-32 for the table sizes used
 * here, and the result does not depend on the platform. */
uint32_t cs__rng_below(cs__rng_t *r, uint32_t n) {
  return (uint32_t)(((cs__rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int64_t cs__rng_range(cs__rng_t *r, int64_t lo, int64_t hi) {
  uint64_t span = (uint64_t)(hi - lo) + 1;
  if (span == 0) return (int64_t)cs__rng_next(r);
  return lo + (int64_t)(cs__rng_next(r) % span);
}

bool cs__rng_chance(cs__rng_t *r, uint32_t per_mille) {
  return cs__rng_below(r, 1000) < per_mille;
}
