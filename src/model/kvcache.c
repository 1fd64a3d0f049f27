/* kvcache.c — one-token-at-a-time inference with a key/value cache.
 *
 * The same layers as gpt.c with B = T = 1, except attention, which reads
 * the keys and values of earlier positions from the cache instead of
 * recomputing them: a step costs O(pos·C) for attention instead of O(pos²·C).
 * Logits equal the full forward's up to float rounding (the tests check). */
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"

struct cs_model_kv {
  const cs_model_t *m;
  int pos;
  float *k, *v;           /* (L,maxT,C) each */
  float *x;               /* (C) residual stream */
  float *buf, *atty, *tmp; /* (C) each */
  float *qkv;             /* (3C) */
  float *fch, *fch_gelu;  /* (4C) each */
  float *logits;          /* (V) */
  float *scratch;         /* (NH,maxT) attention rows */
  float *block;           /* one allocation behind all of the above */
};

int cs_model_kv_new(const cs_model_t *m, cs_model_kv_t **out, cs_diag_t *diag) {
  size_t L = (size_t)m->cfg.n_layer, C = (size_t)m->cfg.n_embd, maxT = (size_t)m->cfg.max_seq_len;
  size_t V = (size_t)m->cfg.vocab_size, NH = (size_t)m->cfg.n_head, cache;
  if (cs__mul_size(L * C, maxT, &cache) || cache > SIZE_MAX / 8)
    return cs_diag_set(diag, CS_ERANGE, "kv cache: too large");
  size_t total = 2 * cache + 3 * C + C + 3 * C + 8 * C + V + NH * maxT;
  cs_model_kv_t *kv = calloc(1, sizeof *kv);
  float *p = kv ? calloc(total, sizeof(float)) : NULL;
  if (!p) {
    free(kv);
    return cs_diag_set(diag, CS_ENOMEM, "kv cache: out of memory");
  }
  kv->m = m;
  kv->block = p;
  kv->k = p, p += cache;
  kv->v = p, p += cache;
  kv->x = p, p += C;
  kv->buf = p, p += C;
  kv->atty = p, p += C;
  kv->tmp = p, p += C;
  kv->qkv = p, p += 3 * C;
  kv->fch = p, p += 4 * C;
  kv->fch_gelu = p, p += 4 * C;
  kv->logits = p, p += V;
  kv->scratch = p;
  *out = kv;
  return CS_OK;
}

void cs_model_kv_free(cs_model_kv_t *kv) {
  if (!kv) return;
  free(kv->block);
  free(kv);
}

int cs_model_kv_len(const cs_model_kv_t *kv) { return kv->pos; }
void cs_model_kv_reset(cs_model_kv_t *kv) { kv->pos = 0; }

static const float *lp(const cs_model_t *m, int i, int l) {
  return m->params.t[i] + (size_t)l * (m->param_sizes[i] / (size_t)m->cfg.n_layer);
}

static void block_step(cs_model_kv_t *kv, int l) {
  const cs_model_t *m = kv->m;
  int C = m->cfg.n_embd, NH = m->cfg.n_head;
  size_t row = ((size_t)l * (size_t)m->cfg.max_seq_len + (size_t)kv->pos) * (size_t)C;
  float *kc = kv->k + (row - (size_t)kv->pos * C), *vc = kv->v + (row - (size_t)kv->pos * C);
  float mean, rstd;

  cs__layernorm_forward(kv->buf, &mean, &rstd, kv->x, lp(m, CS__P_LN1W, l), lp(m, CS__P_LN1B, l),
                        1, C);
  cs__matmul_forward(kv->qkv, kv->buf, lp(m, CS__P_QKVW, l), lp(m, CS__P_QKVB, l), 1, C, 3 * C);
  memcpy(kv->k + row, kv->qkv + C, (size_t)C * sizeof(float));
  memcpy(kv->v + row, kv->qkv + 2 * (size_t)C, (size_t)C * sizeof(float));
  cs__attention_step(kv->atty, kv->scratch, kv->qkv, kc, vc, kv->pos + 1, C, NH);
  cs__matmul_forward(kv->tmp, kv->atty, lp(m, CS__P_ATTPROJW, l), lp(m, CS__P_ATTPROJB, l), 1, C,
                     C);
  cs__residual_forward(kv->x, kv->x, kv->tmp, (size_t)C);
  cs__layernorm_forward(kv->buf, &mean, &rstd, kv->x, lp(m, CS__P_LN2W, l), lp(m, CS__P_LN2B, l),
                        1, C);
  cs__matmul_forward(kv->fch, kv->buf, lp(m, CS__P_FCW, l), lp(m, CS__P_FCB, l), 1, C, 4 * C);
  cs__gelu_forward(kv->fch_gelu, kv->fch, 4 * (size_t)C);
  cs__matmul_forward(kv->tmp, kv->fch_gelu, lp(m, CS__P_FCPROJW, l), lp(m, CS__P_FCPROJB, l), 1,
                     4 * C, C);
  cs__residual_forward(kv->x, kv->x, kv->tmp, (size_t)C);
}

int cs_model_kv_step(cs_model_kv_t *kv, int32_t token, const float **out_logits,
                     cs_diag_t *diag) {
  const cs_model_t *m = kv->m;
  int C = m->cfg.n_embd, V = m->cfg.vocab_size;
  if (token < 0 || token >= V)
    return cs_diag_set(diag, CS_EINVAL, "kv cache: token %d is not in 0..%d", (int)token, V - 1);
  if (kv->pos >= m->cfg.max_seq_len)
    return cs_diag_set(diag, CS_ERANGE, "kv cache: full at %d positions", kv->pos);
  cs__encoder_forward(kv->x, &token, m->params.t[CS__P_WTE],
                      m->params.t[CS__P_WPE] + (size_t)kv->pos * C, 1, 1, C);
  for (int l = 0; l < m->cfg.n_layer; l++) block_step(kv, l);
  float mean, rstd;
  cs__layernorm_forward(kv->buf, &mean, &rstd, kv->x, m->params.t[CS__P_LNFW],
                        m->params.t[CS__P_LNFB], 1, C);
  cs__matmul_forward(kv->logits, kv->buf, m->params.t[CS__P_WTE], NULL, 1, C, V);
  kv->pos++;
  *out_logits = kv->logits;
  return CS_OK;
}
