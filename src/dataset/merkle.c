/* merkle.c — streaming Merkle root (merkle.h), SHA-256 from libsodium. */
#include <consentry/merkle.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void cs_sha256(const void *data, size_t len, uint8_t out[CS_SHA256_LEN]) {
  crypto_hash_sha256(out, data, len);
}

void cs_hex(const uint8_t *bytes, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 15];
  }
  out[2 * n] = '\0';
}

int cs_sha256_file(const char *path, char hex[65], cs_diag_t *diag) {
  FILE *f = fopen(path, "rb");
  if (!f) return cs_diag_set(diag, CS_EIO, "%s: cannot read", path);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  unsigned char buf[1 << 15];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) crypto_hash_sha256_update(&st, buf, n);
  int err = ferror(f);
  fclose(f);
  if (err) return cs_diag_set(diag, CS_EIO, "%s: read failed", path);
  uint8_t h[CS_SHA256_LEN];
  crypto_hash_sha256_final(&st, h);
  cs_hex(h, sizeof h, hex);
  return CS_OK;
}

static void node(const uint8_t l[CS_SHA256_LEN], const uint8_t r[CS_SHA256_LEN],
                 uint8_t out[CS_SHA256_LEN]) {
  crypto_hash_sha256_state st;
  const uint8_t tag = 1;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, &tag, 1);
  crypto_hash_sha256_update(&st, l, CS_SHA256_LEN);
  crypto_hash_sha256_update(&st, r, CS_SHA256_LEN);
  crypto_hash_sha256_final(&st, out);
}

void cs_merkle_init(cs_merkle_t *m) { memset(m, 0, sizeof *m); }

void cs_merkle_add(cs_merkle_t *m, const char *record_id, size_t id_len,
                   const uint8_t content_hash[CS_SHA256_LEN]) {
  uint8_t h[CS_SHA256_LEN];
  crypto_hash_sha256_state st;
  const uint8_t zero = 0;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, &zero, 1);
  crypto_hash_sha256_update(&st, (const uint8_t *)record_id, id_len);
  crypto_hash_sha256_update(&st, &zero, 1);
  crypto_hash_sha256_update(&st, content_hash, CS_SHA256_LEN);
  crypto_hash_sha256_final(&st, h);
  /* Binary-counter carry: combine with pending nodes of equal height. */
  int k = 0;
  while (m->n_leaves & ((uint64_t)1 << k)) {
    node(m->level[k], h, h);
    k++;
  }
  memcpy(m->level[k], h, CS_SHA256_LEN);
  m->n_leaves++;
}

void cs_merkle_root_hex(const cs_merkle_t *m, char out[65]) {
  uint8_t acc[CS_SHA256_LEN];
  if (m->n_leaves == 0) {
    cs_sha256("", 0, acc);
    cs_hex(acc, CS_SHA256_LEN, out);
    return;
  }
  /* Fold pending nodes from the lowest level up: an odd node is carried up
   * and becomes the right child of the next pending node to its left. */
  int have = 0;
  for (int k = 0; k < CS_MERKLE_MAX_LEVELS; k++) {
    if (!(m->n_leaves & ((uint64_t)1 << k))) continue;
    if (!have) {
      memcpy(acc, m->level[k], CS_SHA256_LEN);
      have = 1;
    } else {
      node(m->level[k], acc, acc);
    }
  }
  cs_hex(acc, CS_SHA256_LEN, out);
}
