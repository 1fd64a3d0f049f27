/* evaluate.c — loss on held-out tokens, per model and for the ensemble.
 *
 * Windows of T+1 tokens start at 0, T, 2T, ...: consecutive windows share
 * one token, so every token after the first is predicted exactly once, with
 * as much context as the window gives it. Each model's probability of the
 * target comes from its logits; the ensemble's is the mean of the models'
 * probabilities (what generation samples from at temperature 1).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <consentry/shard.h>

#include "train/train_int.h"

double cs__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cs__read_shard(const char *path, uint16_t **out, size_t *n, cs_diag_t *diag) {
  cs_shard_reader_t *r = NULL;
  int rc = cs_shard_reader_open(path, &r, diag);
  if (rc < 0) return rc;
  size_t total = (size_t)cs_shard_reader_count(r), have = 0, got = 0;
  uint16_t *buf = malloc((total ? total : 1) * sizeof *buf);
  if (!buf) rc = cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  while (rc == CS_OK && have < total) {
    rc = cs_shard_reader_read(r, buf + have, total - have, &got, diag);
    if (rc == CS_OK && got == 0) rc = cs_diag_set(diag, CS_EIO, "%s: truncated", path);
    have += got;
  }
  cs_shard_reader_close(r);
  if (rc < 0) {
    free(buf);
    return rc;
  }
  *out = buf;
  *n = total;
  return CS_OK;
}

/* ln p(target) under one row of logits (V). */
static double log_prob(const float *logits, int V, int target) {
  float mx = logits[0];
  for (int v = 1; v < V; v++) mx = logits[v] > mx ? logits[v] : mx;
  double sum = 0;
  for (int v = 0; v < V; v++) sum += exp((double)(logits[v] - mx));
  return (double)(logits[target] - mx) - log(sum);
}

static uint64_t token_bytes(const cs_tokenizer_t *tok, uint16_t id) {
  const unsigned char *b;
  size_t len;
  if (id == CS_TOK_EOT || cs_tokenizer_token_bytes(tok, id, &b, &len) < 0) return 1;
  return len;
}

typedef struct {
  const cs__eval_spec_t *e;
  int32_t *x;   /* (B,T) */
  double *lp;   /* (n_models, B*T): ln p(target) */
  double *nll, *ens_nll;
} evalbuf_t;

/* One batch of rows windows of Tw+1 tokens starting at starts[]. */
static int eval_batch(evalbuf_t *eb, const uint16_t *tok, const size_t *starts, int rows, int Tw,
                      cs_diag_t *diag) {
  const cs__eval_spec_t *e = eb->e;
  int V = cs_model_config(e->models[0])->vocab_size;
  size_t BT = (size_t)rows * (size_t)Tw;
  for (int b = 0; b < rows; b++)
    for (int t = 0; t < Tw; t++) eb->x[(size_t)b * Tw + t] = tok[starts[b] + (size_t)t];
  for (size_t m = 0; m < e->n_models; m++) {
    int rc = cs_model_forward(e->models[m], eb->x, NULL, rows, Tw, false, NULL, NULL, diag);
    if (rc < 0) return rc;
    const float *lg = cs_model_logits(e->models[m]);
    for (size_t i = 0; i < BT; i++) {
      size_t b = i / (size_t)Tw, t = i % (size_t)Tw;
      eb->lp[m * BT + i] = log_prob(lg + i * (size_t)V, V, tok[starts[b] + t + 1]);
      eb->nll[m] -= eb->lp[m * BT + i];
    }
  }
  for (size_t i = 0; i < BT; i++) {
    double p = 0;
    for (size_t m = 0; m < e->n_models; m++) p += exp(eb->lp[m * BT + i]);
    *eb->ens_nll -= log(p / (double)e->n_models);
  }
  return CS_OK;
}

static void count_targets(const cs__eval_spec_t *e, const uint16_t *tok, size_t s, int Tw,
                          uint64_t *count, uint64_t *bytes) {
  *count += (uint64_t)Tw;
  for (int t = 1; bytes && e->tok && t <= Tw; t++) *bytes += token_bytes(e->tok, tok[s + (size_t)t]);
}

int cs__eval_tokens(const cs__eval_spec_t *e, const uint16_t *tok, size_t n, size_t max_windows,
                    double *nll, double *ens_nll, uint64_t *count, uint64_t *bytes,
                    cs_diag_t *diag) {
  size_t T = (size_t)e->T, B = (size_t)e->B;
  evalbuf_t eb = {e, malloc(B * T * sizeof(int32_t)), malloc(e->n_models * B * T * sizeof(double)),
                  nll, ens_nll};
  size_t *starts = malloc(B * sizeof *starts);
  int rc = eb.x && eb.lp && starts ? CS_OK : cs_diag_set(diag, CS_ENOMEM, "eval: out of memory");
  size_t s = 0, windows = 0;
  while (rc == CS_OK && s + 1 < n && (max_windows == 0 || windows < max_windows)) {
    int rows = 0;
    if (s + T + 1 > n) { /* the short last window, alone */
      int Tw = (int)(n - s - 1);
      count_targets(e, tok, s, Tw, count, bytes);
      rc = eval_batch(&eb, tok, &s, 1, Tw, diag);
      break;
    }
    while (rows < (int)B && s + T + 1 <= n && (max_windows == 0 || windows < max_windows)) {
      count_targets(e, tok, s, (int)T, count, bytes);
      starts[rows++] = s;
      s += T;
      windows++;
    }
    rc = eval_batch(&eb, tok, starts, rows, (int)T, diag);
  }
  free(starts);
  free(eb.x);
  free(eb.lp);
  return rc;
}
