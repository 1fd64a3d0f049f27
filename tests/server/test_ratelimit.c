/* test_ratelimit.c — token buckets: burst, refill, Retry-After, per key,
 * off at rate 0, bounded table. */
#include "check.h"
#include "server/server_int.h"

static void key_of(int i, uint8_t k[32]) {
  memset(k, 0, 32);
  memcpy(k, &i, sizeof i);
  k[31] = (uint8_t)i;
}

static void test_burst_then_refill(void) {
  cs__ratelimit_t *rl = NULL;
  CHECK_INT(cs__ratelimit_new(2, 4, &rl), CS_OK);
  uint8_t k[32];
  key_of(1, k);
  int retry = -1;
  for (int i = 0; i < 4; i++) CHECK(cs__ratelimit_take(rl, k, 100.0, &retry));
  CHECK(!cs__ratelimit_take(rl, k, 100.0, &retry));
  CHECK_INT(retry, 1);
  CHECK(!cs__ratelimit_take(rl, k, 100.2, &retry)); /* 0.4 tokens */
  CHECK(cs__ratelimit_take(rl, k, 100.5, &retry));  /* 1.0 token */
  CHECK(!cs__ratelimit_take(rl, k, 100.5, &retry));
  CHECK(cs__ratelimit_take(rl, k, 200.0, &retry)); /* refilled, capped at burst */
  for (int i = 0; i < 3; i++) CHECK(cs__ratelimit_take(rl, k, 200.0, &retry));
  CHECK(!cs__ratelimit_take(rl, k, 200.0, &retry));
  cs__ratelimit_free(rl);
}

static void test_keys_are_separate_and_slow_rates_wait_longer(void) {
  cs__ratelimit_t *rl = NULL;
  CHECK_INT(cs__ratelimit_new(0.1, 1, &rl), CS_OK);
  uint8_t a[32], b[32];
  key_of(1, a);
  key_of(2, b);
  int retry = 0;
  CHECK(cs__ratelimit_take(rl, a, 0, &retry));
  CHECK(!cs__ratelimit_take(rl, a, 0, &retry));
  CHECK_INT(retry, 10);
  CHECK(cs__ratelimit_take(rl, b, 0, &retry));
  cs__ratelimit_free(rl);
}

static void test_rate_zero_is_off(void) {
  cs__ratelimit_t *rl = NULL;
  CHECK_INT(cs__ratelimit_new(0, 1, &rl), CS_OK);
  uint8_t k[32];
  key_of(3, k);
  for (int i = 0; i < 1000; i++) CHECK(cs__ratelimit_take(rl, k, 0, NULL));
  cs__ratelimit_free(rl);
  cs__ratelimit_free(NULL);
}

/* Many more keys than slots: still answers, and a fresh key gets a full bucket. */
static void test_table_stays_bounded(void) {
  cs__ratelimit_t *rl = NULL;
  CHECK_INT(cs__ratelimit_new(1, 2, &rl), CS_OK);
  uint8_t k[32];
  int ok = 0;
  for (int i = 0; i < 100000; i++) {
    key_of(i, k);
    ok += cs__ratelimit_take(rl, k, (double)i * 1e-6, NULL);
  }
  CHECK_INT(ok, 100000);
  cs__ratelimit_free(rl);
}

RUN_TESTS(test_burst_then_refill, test_keys_are_separate_and_slow_rates_wait_longer,
          test_rate_zero_is_off, test_table_stays_bounded)
