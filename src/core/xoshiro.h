/* xoshiro.h — xoshiro256** (Blackman & Vigna) and splitmix64, the one PRNG
 * core behind every explicit random state in consentry (synth, model).
 * Callers own the state; nothing here is global. */
#ifndef CS_CORE_XOSHIRO_H
#define CS_CORE_XOSHIRO_H

#include <stdint.h>

/* Advances *x and returns the next splitmix64 output (used for seeding). */
static inline uint64_t cs__splitmix64(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline uint64_t cs__rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* The next output of xoshiro256** and the state's step. */
static inline uint64_t cs__xoshiro256ss(uint64_t s[4]) {
  const uint64_t result = cs__rotl64(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = cs__rotl64(s[3], 45);
  return result;
}

#endif
