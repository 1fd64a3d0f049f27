/* loader.c — random training windows over one token shard held in memory.
 *
 * The whole shard is read into memory: shards are per member group and
 * small next to RAM for the presets this trainer targets (a 100M-token shard
 * is 200 MB). Window starts come from the caller's RNG only, so the batch
 * sequence is a pure function of the seed; the position counter is kept so
 * a checkpoint can record (and a test can check) how far the loader went.
 */
#include <stdlib.h>
#include <string.h>

#include <consentry/shard.h>
#include <consentry/train.h>

struct cs_train_loader {
  uint16_t *tok; /* (n) */
  size_t n;
  int B, T;
  uint64_t pos;  /* batches drawn */
};

static int check_dims(size_t n, int B, int T, cs_diag_t *diag) {
  if (n < 2) return cs_diag_set(diag, CS_EINVAL, "loader: a shard needs at least 2 tokens, has %zu", n);
  if (B < 1 || T < 1 || B > CS_MODEL_MAX_DIM || T > CS_MODEL_MAX_DIM)
    return cs_diag_set(diag, CS_EINVAL, "loader: batch %d and context %d must be 1..%d", B, T,
                       CS_MODEL_MAX_DIM);
  return CS_OK;
}

static int alloc_loader(size_t n, int B, int T, cs_train_loader_t **out, cs_diag_t *diag) {
  int rc = check_dims(n, B, T, diag);
  if (rc < 0) return rc;
  cs_train_loader_t *l = calloc(1, sizeof *l);
  if (l) l->tok = malloc(n * sizeof *l->tok);
  if (!l || !l->tok) {
    cs_train_loader_free(l);
    return cs_diag_set(diag, CS_ENOMEM, "loader: out of memory for %zu tokens", n);
  }
  l->n = n;
  l->B = B;
  l->T = T;
  *out = l;
  return CS_OK;
}

int cs_train_loader_new(const uint16_t *tokens, size_t n, int B, int T, cs_train_loader_t **out,
                        cs_diag_t *diag) {
  cs_train_loader_t *l = NULL;
  int rc = alloc_loader(n, B, T, &l, diag);
  if (rc < 0) return rc;
  memcpy(l->tok, tokens, n * sizeof *tokens);
  *out = l;
  return CS_OK;
}

static int read_all(cs_shard_reader_t *r, uint16_t *buf, size_t n, const char *path,
                    cs_diag_t *diag) {
  size_t have = 0, got;
  while (have < n) {
    int rc = cs_shard_reader_read(r, buf + have, n - have, &got, diag);
    if (rc < 0) return rc;
    if (got == 0) return cs_diag_set(diag, CS_EIO, "%s: shorter than its header says", path);
    have += got;
  }
  return CS_OK;
}

int cs_train_loader_open(const char *shard_path, int B, int T, cs_train_loader_t **out,
                         cs_diag_t *diag) {
  cs_shard_reader_t *r = NULL;
  cs_train_loader_t *l = NULL;
  int rc = cs_shard_reader_open(shard_path, &r, diag);
  if (rc == CS_OK) {
    rc = alloc_loader((size_t)cs_shard_reader_count(r), B, T, &l, diag);
    if (rc < 0) cs_diag_prefix(diag, "%s", shard_path);
  }
  if (rc == CS_OK) rc = read_all(r, l->tok, l->n, shard_path, diag);
  cs_shard_reader_close(r);
  if (rc < 0) {
    cs_train_loader_free(l);
    return rc;
  }
  *out = l;
  return CS_OK;
}

void cs_train_loader_free(cs_train_loader_t *l) {
  if (!l) return;
  free(l->tok);
  free(l);
}

size_t cs_train_loader_tokens(const cs_train_loader_t *l) { return l->n; }
uint64_t cs_train_loader_pos(const cs_train_loader_t *l) { return l->pos; }
void cs_train_loader_set_pos(cs_train_loader_t *l, uint64_t pos) { l->pos = pos; }

/* A window start: uniform over starts whose window fits, else anywhere
 * (the window then wraps). The modulo bias is below 2^-40 for any shard. */
static size_t draw_start(const cs_train_loader_t *l, cs_model_rng_t *rng) {
  size_t win = (size_t)l->T + 1;
  size_t range = l->n >= win ? l->n - win + 1 : l->n;
  return (size_t)(cs_model_rng_next(rng) % range);
}

void cs_train_loader_next(cs_train_loader_t *l, cs_model_rng_t *rng, int32_t *inputs,
                          int32_t *targets, size_t *starts) {
  size_t T = (size_t)l->T;
  for (int b = 0; b < l->B; b++) {
    size_t s = draw_start(l, rng);
    if (starts) starts[b] = s;
    int32_t *x = inputs + (size_t)b * T, *y = targets + (size_t)b * T;
    for (size_t t = 0; t < T; t++) {
      x[t] = l->tok[(s + t) % l->n];
      y[t] = l->tok[(s + t + 1) % l->n];
    }
  }
  l->pos++;
}
