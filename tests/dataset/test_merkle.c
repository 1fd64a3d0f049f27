/* Specification of the Merkle root: the streaming builder equals a direct
 * level-by-level construction (the oracle below) for every size up to 70,
 * and the root changes with any leaf, its order, or its id. */
#include <consentry/merkle.h>
#include <sodium.h>

#include "check.h"

static void leaf(int i, char id[16], uint8_t content[CS_SHA256_LEN]) {
  snprintf(id, 16, "r%d", i);
  cs_sha256(id, strlen(id), content); /* any content hash will do */
}

/* The oracle: hash all leaves, then pair up level by level, carrying odd ones. */
static void direct_root(int n, char out[65]) {
  static uint8_t lv[128][CS_SHA256_LEN];
  for (int i = 0; i < n; i++) {
    char id[16];
    uint8_t c[CS_SHA256_LEN], buf[1 + 16 + 1 + CS_SHA256_LEN];
    leaf(i, id, c);
    size_t k = 0, idn = strlen(id);
    buf[k++] = 0;
    memcpy(buf + k, id, idn);
    k += idn;
    buf[k++] = 0;
    memcpy(buf + k, c, CS_SHA256_LEN);
    k += CS_SHA256_LEN;
    cs_sha256(buf, k, lv[i]);
  }
  if (n == 0) cs_sha256("", 0, lv[0]);
  while (n > 1) {
    int m = 0;
    for (int i = 0; i + 1 < n; i += 2) {
      uint8_t buf[1 + 2 * CS_SHA256_LEN];
      buf[0] = 1;
      memcpy(buf + 1, lv[i], CS_SHA256_LEN);
      memcpy(buf + 1 + CS_SHA256_LEN, lv[i + 1], CS_SHA256_LEN);
      cs_sha256(buf, sizeof buf, lv[m++]);
    }
    if (n % 2) memcpy(lv[m++], lv[n - 1], CS_SHA256_LEN);
    n = m;
  }
  cs_hex(lv[0], CS_SHA256_LEN, out);
}

static void test_streaming_equals_direct_construction(void) {
  for (int n = 0; n <= 70; n++) {
    cs_merkle_t m;
    cs_merkle_init(&m);
    for (int i = 0; i < n; i++) {
      char id[16];
      uint8_t c[CS_SHA256_LEN];
      leaf(i, id, c);
      cs_merkle_add(&m, id, strlen(id), c);
    }
    char got[65], want[65];
    cs_merkle_root_hex(&m, got);
    direct_root(n, want);
    if (strcmp(got, want) != 0) fprintf(stderr, "  n=%d\n", n);
    CHECK_STR(got, want);
  }
}

static void test_root_depends_on_ids_contents_and_order(void) {
  uint8_t a[CS_SHA256_LEN], b[CS_SHA256_LEN];
  cs_sha256("a", 1, a);
  cs_sha256("b", 1, b);
  char r1[65], r2[65], r3[65], r4[65];
  cs_merkle_t m;
  cs_merkle_init(&m);
  cs_merkle_add(&m, "x", 1, a);
  cs_merkle_add(&m, "y", 1, b);
  cs_merkle_root_hex(&m, r1);
  cs_merkle_init(&m);
  cs_merkle_add(&m, "y", 1, b);
  cs_merkle_add(&m, "x", 1, a);
  cs_merkle_root_hex(&m, r2);
  cs_merkle_init(&m);
  cs_merkle_add(&m, "x", 1, a);
  cs_merkle_add(&m, "z", 1, b);
  cs_merkle_root_hex(&m, r3);
  cs_merkle_init(&m);
  cs_merkle_add(&m, "x", 1, a);
  cs_merkle_add(&m, "y", 1, a);
  cs_merkle_root_hex(&m, r4);
  CHECK(strcmp(r1, r2) != 0);
  CHECK(strcmp(r1, r3) != 0);
  CHECK(strcmp(r1, r4) != 0);
  CHECK_INT(strlen(r1), 64);
}

RUN_TESTS(test_streaming_equals_direct_construction, test_root_depends_on_ids_contents_and_order)
