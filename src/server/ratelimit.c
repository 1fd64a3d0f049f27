/* ratelimit.c — a token bucket per sign-in token.
 *
 * Buckets live in a fixed open-addressed table keyed by the token's SHA-256
 * (already uniformly distributed, so its first 8 bytes are the hash). A
 * probe looks at PROBE slots; when all are taken by other keys the one idle
 * longest is reused, so memory stays bounded however many tokens show up
 * (an evicted key simply starts again with a full bucket). One mutex guards
 * the table: the critical section is a few dozen instructions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"

#define SLOTS 8192
#define PROBE 8

typedef struct {
  uint8_t key[32];
  bool used;
  double tokens, last;
} bucket_t;

struct cs__ratelimit {
  pthread_mutex_t mu;
  double rate, burst;
  bucket_t b[SLOTS];
};

int cs__ratelimit_new(double rate, double burst, cs__ratelimit_t **out) {
  cs__ratelimit_t *rl = calloc(1, sizeof *rl);
  if (!rl) return CS_ENOMEM;
  pthread_mutex_init(&rl->mu, NULL);
  rl->rate = rate;
  rl->burst = burst < 1 ? 1 : burst;
  *out = rl;
  return CS_OK;
}

void cs__ratelimit_free(cs__ratelimit_t *rl) {
  if (!rl) return;
  pthread_mutex_destroy(&rl->mu);
  free(rl);
}

static bucket_t *find(cs__ratelimit_t *rl, const uint8_t key[32], double now) {
  uint64_t h;
  memcpy(&h, key, sizeof h);
  bucket_t *oldest = NULL;
  for (size_t i = 0; i < PROBE; i++) {
    bucket_t *b = &rl->b[(h + i) % SLOTS];
    if (b->used && memcmp(b->key, key, 32) == 0) return b;
    if (!oldest || !b->used || (oldest->used && b->last < oldest->last)) oldest = b;
  }
  memcpy(oldest->key, key, 32);
  oldest->used = true;
  oldest->tokens = rl->burst;
  oldest->last = now;
  return oldest;
}

bool cs__ratelimit_take(cs__ratelimit_t *rl, const uint8_t key[32], double now_s,
                        int *out_retry_after) {
  if (!rl || rl->rate <= 0) return true;
  pthread_mutex_lock(&rl->mu);
  bucket_t *b = find(rl, key, now_s);
  double dt = now_s - b->last;
  if (dt > 0) b->tokens = fmin(rl->burst, b->tokens + dt * rl->rate);
  b->last = now_s;
  bool ok = b->tokens >= 1;
  if (ok) b->tokens -= 1;
  double wait = ok ? 0 : (1 - b->tokens) / rl->rate;
  pthread_mutex_unlock(&rl->mu);
  if (out_retry_after) *out_retry_after = ok ? 0 : (int)ceil(wait < 1 ? 1 : wait);
  return ok;
}
