/* gpt.c — the GPT-2 forward and backward passes, layer by layer.
 *
 * Forward, per block l (x is the residual stream, (B,T,C)):
 *   ln1 = LN(x); qkv = ln1·Wqkvᵀ+b; atty = attention(qkv);
 *   x2 = x + drop(atty·Wprojᵀ+b); ln2 = LN(x2);
 *   x3 = x2 + drop(gelu(ln2·Wfcᵀ+b)·Wfcprojᵀ+b)
 * then logits = LN_f(x)·wteᵀ (the head is tied to the token embedding).
 * Backward walks the same list in reverse; gradients of activations live in
 * a second buffer with the activations' layout. */
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"

static int ensure_acts(cs_model_t *m, int B, int T, cs_diag_t *diag) {
  size_t sizes[CS__N_ACT_TENSORS], total, BT = (size_t)B * (size_t)T;
  if (cs__act_sizes(&m->cfg, B, T, sizes, &total))
    return cs_diag_set(diag, CS_ERANGE, "model: batch %d x %d is too large", B, T);
  if (total > m->acts_cap) {
    float *buf = malloc(total * sizeof(float));
    if (!buf)
      return cs_diag_set(diag, CS_ENOMEM, "model: out of memory for activations (%zu MiB)",
                         total / (1024 * 1024 / sizeof(float)));
    free(m->acts_buf);
    m->acts_buf = buf;
    m->acts_cap = total;
  }
  if (BT > m->tokens_cap) {
    int32_t *in = malloc(BT * sizeof(int32_t)), *tg = malloc(BT * sizeof(int32_t));
    if (!in || !tg) {
      free(in);
      free(tg);
      return cs_diag_set(diag, CS_ENOMEM, "model: out of memory");
    }
    free(m->inputs);
    free(m->targets);
    m->inputs = in;
    m->targets = tg;
    m->tokens_cap = BT;
  }
  memcpy(m->act_sizes, sizes, sizeof sizes);
  cs__act_views(sizes, m->acts_buf, &m->acts);
  return CS_OK;
}

/* Attention scratch for each thread: dropout's masked rows and the
 * contiguous copies of a head's operands (cs__att_scratch_floats). */
static int ensure_att_scratch(cs_model_t *m, int T, int nt, cs_diag_t *diag) {
  int parts = nt > omp_get_max_threads() ? nt : omp_get_max_threads();
  size_t need = (size_t)parts * cs__att_scratch_floats(T, m->cfg.n_embd, m->cfg.n_head);
  if (need <= m->att_scratch_cap) return CS_OK;
  float *buf = malloc(need * sizeof(float));
  if (!buf) return cs_diag_set(diag, CS_ENOMEM, "model: out of memory for attention dropout");
  free(m->att_scratch);
  m->att_scratch = buf;
  m->att_scratch_cap = need;
  return CS_OK;
}

static int check_tokens(const int32_t *tok, size_t n, int V, const char *what, cs_diag_t *diag) {
  for (size_t i = 0; i < n; i++)
    if (tok[i] < 0 || tok[i] >= V)
      return cs_diag_set(diag, CS_EINVAL, "model: %s[%zu] = %d is not a token in 0..%d", what, i,
                         (int)tok[i], V - 1);
  return CS_OK;
}

static int check_forward_args(const cs_model_t *m, const int32_t *inputs,
                              const int32_t *targets, int B, int T, bool train,
                              const cs_model_rng_t *rng, cs_diag_t *diag) {
  if (B < 1 || T < 1 || T > m->cfg.max_seq_len || B > INT_MAX / T)
    return cs_diag_set(diag, CS_EINVAL, "model: batch %d x %d: need B >= 1 and 1 <= T <= %d", B,
                       T, m->cfg.max_seq_len);
  if (train && m->cfg.dropout > 0.0f && !rng)
    return cs_diag_set(diag, CS_EINVAL, "model: training with dropout needs an rng");
  size_t n = (size_t)B * (size_t)T;
  int rc = check_tokens(inputs, n, m->cfg.vocab_size, "inputs", diag);
  if (!rc && targets) rc = check_tokens(targets, n, m->cfg.vocab_size, "targets", diag);
  return rc;
}

/* Per-layer views: tensor i of layer l. Layer strides are the whole
 * batch's, so a view offset to a thread's first sequence stays valid. */
static float *lp(const cs__params_t *p, const cs_model_t *m, int i, int l) {
  return p->t[i] + (size_t)l * (m->param_sizes[i] / (size_t)m->cfg.n_layer);
}
static float *la(const cs__acts_t *a, const cs_model_t *m, int i, int l) {
  return a->t[i] + (size_t)l * (m->act_sizes[i] / (size_t)m->cfg.n_layer);
}

/* ---- the batch split --------------------------------------------------
 * With more than one thread and at least as many sequences, each thread
 * runs the whole forward and backward for its own consecutive sequences,
 * with single-threaded kernels and BLAS: one parallel region per pass
 * instead of a dozen per layer, whose fork/join and barriers cost more
 * than the work at T=128, C=128. Parameter gradients of thread t > 0 go to
 * a private buffer, added into the model's in thread order after a
 * barrier, so a run is reproducible for a given thread count. With one
 * thread or fewer sequences than threads, the one "share" is the whole
 * batch and the kernels parallelise inside themselves. */

typedef struct {
  cs__acts_t a, d;  /* activations and their gradients from sequence b0 on */
  cs__params_t g;   /* where this share's parameter gradients accumulate */
  const int32_t *inputs, *targets; /* (B,T) from sequence b0 on */
  int b0, B;        /* first sequence, number of sequences */
  int part;         /* which share: the thread's number in the split, else 0 */
} share_t;

static int is_layered(int i) {
  return !(i == CS__A_ENCODED || i == CS__A_LNF || i == CS__A_LNF_MEAN || i == CS__A_LNF_RSTD ||
           i == CS__A_LOGITS || i == CS__A_PROBS || i == CS__A_LOSSES);
}

/* Floats per sequence in one layer of tensor i. */
static size_t per_seq(const cs_model_t *m, int i) {
  size_t n = m->act_sizes[i] / (size_t)m->B;
  return is_layered(i) ? n / (size_t)m->cfg.n_layer : n;
}

/* Share `part` of `parts`; g is the gradient view it writes to (NULL in
 * the forward, which has no gradient views yet). */
static share_t share_of(const cs_model_t *m, int part, int parts, const cs__params_t *g) {
  share_t sh;
  sh.part = part;
  sh.b0 = (int)((int64_t)m->B * part / parts);
  sh.B = (int)((int64_t)m->B * (part + 1) / parts) - sh.b0;
  for (int i = 0; i < CS__N_ACT_TENSORS; i++) {
    size_t off = (size_t)sh.b0 * per_seq(m, i);
    sh.a.t[i] = m->acts.t[i] + off;
    sh.d.t[i] = g ? m->dacts.t[i] + off : NULL;
  }
  if (g) sh.g = *g;
  else memset(&sh.g, 0, sizeof sh.g);
  size_t tok = (size_t)sh.b0 * (size_t)m->T;
  sh.inputs = m->inputs + tok;
  sh.targets = m->targets + tok;
  return sh;
}

/* Threads for the batch split: 1 inside another parallel region, with
 * fewer sequences than threads, or when a pass is under m->split_min
 * multiply-adds (a tiny model's step is a few milliseconds; on a loaded
 * machine a barrier waiting for a descheduled thread costs a time slice). */
static int split_threads(const cs_model_t *m, int B, int T) {
  const cs_model_config_t *c = &m->cfg;
  double work = (double)B * T * (12.0 * c->n_layer * c->n_embd * c->n_embd +
                                 (double)c->n_embd * c->vocab_size);
  int nt = omp_in_parallel() ? 1 : omp_get_max_threads();
  return nt > B || work < m->split_min ? 1 : nt;
}

/* Dropout at site of the share: element 0 of its tensor is element
 * b0 * per_seq of the whole batch's, so every mask matches the unsplit run. */
static cs__drop_t drop_at(const cs_model_t *m, uint64_t site, const share_t *sh, size_t per) {
  cs__drop_t d = {m->drop_p, m->drop_seed, site, (uint64_t)sh->b0 * (uint64_t)per};
  return d;
}

/* The share's attention scratch. In the split the kernels run on this
 * thread alone and use the first thread's part of what they are given, so
 * each share gets its own part; unsplit they get all of it and index it by
 * their own thread numbers (0 alone inside a caller's parallel region). */
static float *att_scratch_of(const cs_model_t *m, const share_t *sh) {
  size_t per = cs__att_scratch_floats(m->T, m->cfg.n_embd, m->cfg.n_head);
  return m->att_scratch + (size_t)sh->part * per;
}

static void block_forward(cs_model_t *m, int l, const float *residual, const share_t *sh) {
  const cs__params_t *p = &m->params;
  const cs__acts_t *a = &sh->a;
  int B = sh->B, T = m->T, C = m->cfg.n_embd, NH = m->cfg.n_head;
  int BT = B * T;
  size_t n = (size_t)BT * C, seq = (size_t)T * C;
  cs__drop_t d_att = drop_at(m, CS__SITE_ATT(l), sh, (size_t)NH * T * T);
  cs__drop_t d_proj = drop_at(m, CS__SITE_ATTPROJ(l), sh, seq);
  cs__drop_t d_fc = drop_at(m, CS__SITE_FCPROJ(l), sh, seq);
  float *ln1 = la(a, m, CS__A_LN1, l), *qkv = la(a, m, CS__A_QKV, l);
  float *atty = la(a, m, CS__A_ATTY, l), *attproj = la(a, m, CS__A_ATTPROJ, l);
  float *res2 = la(a, m, CS__A_RESIDUAL2, l), *ln2 = la(a, m, CS__A_LN2, l);
  float *fch = la(a, m, CS__A_FCH, l), *fch_gelu = la(a, m, CS__A_FCH_GELU, l);
  float *fcproj = la(a, m, CS__A_FCPROJ, l), *res3 = la(a, m, CS__A_RESIDUAL3, l);
  float *scratch = att_scratch_of(m, sh);

  cs__layernorm_forward(ln1, la(a, m, CS__A_LN1_MEAN, l), la(a, m, CS__A_LN1_RSTD, l), residual,
                        lp(p, m, CS__P_LN1W, l), lp(p, m, CS__P_LN1B, l), BT, C);
  cs__matmul_forward(qkv, ln1, lp(p, m, CS__P_QKVW, l), lp(p, m, CS__P_QKVB, l), BT, C, 3 * C);
  cs__attention_forward(atty, la(a, m, CS__A_ATT, l), scratch, qkv, B, T, C, NH, &d_att);
  cs__matmul_forward(attproj, atty, lp(p, m, CS__P_ATTPROJW, l), lp(p, m, CS__P_ATTPROJB, l), BT,
                     C, C);
  if (m->drop_p > 0.0f) cs__dropout_forward(attproj, attproj, n, &d_proj);
  cs__residual_forward(res2, residual, attproj, n);
  cs__layernorm_forward(ln2, la(a, m, CS__A_LN2_MEAN, l), la(a, m, CS__A_LN2_RSTD, l), res2,
                        lp(p, m, CS__P_LN2W, l), lp(p, m, CS__P_LN2B, l), BT, C);
  cs__matmul_gelu_forward(fch, fch_gelu, ln2, lp(p, m, CS__P_FCW, l), lp(p, m, CS__P_FCB, l), BT,
                          C, 4 * C);
  cs__matmul_forward(fcproj, fch_gelu, lp(p, m, CS__P_FCPROJW, l), lp(p, m, CS__P_FCPROJB, l),
                     BT, 4 * C, C);
  if (m->drop_p > 0.0f) cs__dropout_forward(fcproj, fcproj, n, &d_fc);
  cs__residual_forward(res3, res2, fcproj, n);
}

/* The whole forward for one share of the batch. */
static void forward_share(cs_model_t *m, const share_t *sh) {
  int C = m->cfg.n_embd, V = m->cfg.vocab_size, L = m->cfg.n_layer, T = m->T, BT = sh->B * T;
  const cs__params_t *p = &m->params;
  const cs__acts_t *a = &sh->a;
  cs__encoder_forward(a->t[CS__A_ENCODED], sh->inputs, p->t[CS__P_WTE], p->t[CS__P_WPE], sh->B, T,
                      C);
  if (m->drop_p > 0.0f) {
    cs__drop_t d = drop_at(m, CS__SITE_EMBED, sh, (size_t)T * C);
    cs__dropout_forward(a->t[CS__A_ENCODED], a->t[CS__A_ENCODED], (size_t)BT * C, &d);
  }
  for (int l = 0; l < L; l++)
    block_forward(m, l, l == 0 ? a->t[CS__A_ENCODED] : la(a, m, CS__A_RESIDUAL3, l - 1), sh);
  cs__layernorm_forward(a->t[CS__A_LNF], a->t[CS__A_LNF_MEAN], a->t[CS__A_LNF_RSTD],
                        la(a, m, CS__A_RESIDUAL3, L - 1), p->t[CS__P_LNFW], p->t[CS__P_LNFB], BT,
                        C);
  cs__matmul_forward(a->t[CS__A_LOGITS], a->t[CS__A_LNF], p->t[CS__P_WTE], NULL, BT, C, V);
  if (m->have_targets)
    cs__crossentropy_forward(a->t[CS__A_PROBS], a->t[CS__A_LOSSES], a->t[CS__A_LOGITS],
                             sh->targets, BT, V);
}

static float mean_loss(const float *losses, size_t n) {
  double s = 0.0;
  for (size_t i = 0; i < n; i++) s += losses[i];
  return (float)(s / (double)n);
}

int cs_model_forward(cs_model_t *m, const int32_t *inputs, const int32_t *targets, int B, int T,
                     bool train, cs_model_rng_t *rng, float *out_loss, cs_diag_t *diag) {
  int rc = check_forward_args(m, inputs, targets, B, T, train, rng, diag);
  if (!rc) rc = ensure_acts(m, B, T, diag);
  if (rc) return rc;
  int BT = B * T;
  m->B = B;
  m->T = T;
  memcpy(m->inputs, inputs, (size_t)BT * sizeof(int32_t));
  m->have_targets = targets != NULL;
  if (targets) memcpy(m->targets, targets, (size_t)BT * sizeof(int32_t));
  m->drop_p = train ? m->cfg.dropout : 0.0f;
  int nt = split_threads(m, B, T);
  if ((rc = ensure_att_scratch(m, T, nt, diag))) return rc;
  m->drop_seed = m->drop_p > 0.0f ? cs_model_rng_next(rng) : 0;

  if (nt == 1) {
    share_t sh = share_of(m, 0, 1, NULL);
    forward_share(m, &sh);
  } else {
#pragma omp parallel num_threads(nt)
    {
      share_t sh = share_of(m, omp_get_thread_num(), omp_get_num_threads(), NULL);
      forward_share(m, &sh);
    }
  }
  if (out_loss) *out_loss = targets ? mean_loss(m->acts.t[CS__A_LOSSES], (size_t)BT) : NAN;
  return CS_OK;
}

/* Gradient buffers are allocated here and zeroed by each share for its own
 * sequences (zero_share); (nt-1) private parameter-gradient buffers for the
 * batch split. */
static int ensure_dacts(cs_model_t *m, int nt, cs_diag_t *diag) {
  if (m->dacts_cap < m->acts_cap) {
    float *buf = malloc(m->acts_cap * sizeof(float));
    if (!buf) return cs_diag_set(diag, CS_ENOMEM, "model: out of memory for gradients");
    free(m->dacts_buf);
    m->dacts_buf = buf;
    m->dacts_cap = m->acts_cap;
  }
  cs__act_views(m->act_sizes, m->dacts_buf, &m->dacts);
  size_t need;
  if (cs__mul_size((size_t)(nt - 1), m->n_params, &need))
    return cs_diag_set(diag, CS_ERANGE, "model: too many threads");
  if (need > m->tgrads_cap) {
    float *buf = malloc(need * sizeof(float));
    if (!buf) return cs_diag_set(diag, CS_ENOMEM, "model: out of memory for gradients");
    free(m->tgrads_buf);
    m->tgrads_buf = buf;
    m->tgrads_cap = need;
  }
  return CS_OK;
}

/* Activation gradients that are accumulated into start at zero. The rest
 * are written before they are read: datt is per-row scratch, dprobs and
 * dlosses are set directly, the MLP's hidden gradients are written by
 * cs__mlp_backward, and the residual stream's gradients (dencoded,
 * dresidual2, dresidual3) by the LayerNorm backwards (block_backward).
 * Without dropout the projections' output gradients are the residual
 * stream's and their own buffers go unused; the LayerNorms' mean and rstd
 * have no gradients. */
static bool needs_zero(const cs_model_t *m, int i) {
  switch (i) {
  case CS__A_ENCODED: case CS__A_RESIDUAL2: case CS__A_RESIDUAL3: case CS__A_ATT:
  case CS__A_PROBS: case CS__A_LOSSES: case CS__A_FCH: case CS__A_FCH_GELU:
  case CS__A_LN1_MEAN: case CS__A_LN1_RSTD: case CS__A_LN2_MEAN: case CS__A_LN2_RSTD:
  case CS__A_LNF_MEAN: case CS__A_LNF_RSTD:
    return false;
  case CS__A_ATTPROJ: case CS__A_FCPROJ:
    return m->drop_p > 0.0f;
  default:
    return true;
  }
}

static void zero_share(const cs_model_t *m, const share_t *sh) {
  int L = m->cfg.n_layer;
  for (int i = 0; i < CS__N_ACT_TENSORS; i++) {
    if (!needs_zero(m, i)) continue;
    size_t n = (size_t)sh->B * per_seq(m, i);
    for (int l = 0; l < (is_layered(i) ? L : 1); l++)
      memset(is_layered(i) ? la(&sh->d, m, i, l) : sh->d.t[i], 0, n * sizeof(float));
  }
}

static void block_backward(cs_model_t *m, int l, const float *residual, float *dresidual,
                           const share_t *sh) {
  const cs__params_t *p = &m->params, *g = &sh->g;
  const cs__acts_t *a = &sh->a, *d = &sh->d;
  int B = sh->B, T = m->T, C = m->cfg.n_embd, NH = m->cfg.n_head;
  int BT = B * T;
  size_t n = (size_t)BT * C, seq = (size_t)T * C;
  cs__drop_t d_att = drop_at(m, CS__SITE_ATT(l), sh, (size_t)NH * T * T);
  cs__drop_t d_proj = drop_at(m, CS__SITE_ATTPROJ(l), sh, seq);
  cs__drop_t d_fc = drop_at(m, CS__SITE_FCPROJ(l), sh, seq);
  const float *dres3 = la(d, m, CS__A_RESIDUAL3, l);
  float *dres2 = la(d, m, CS__A_RESIDUAL2, l);
  float *dfch = la(d, m, CS__A_FCH, l), *dfch_gelu = la(d, m, CS__A_FCH_GELU, l);
  float *dln2 = la(d, m, CS__A_LN2, l), *datty = la(d, m, CS__A_ATTY, l);
  float *dqkv = la(d, m, CS__A_QKV, l), *dln1 = la(d, m, CS__A_LN1, l);
  /* x3 = x2 + drop(fcproj): the branch gets dres3 through the mask, or
   * dres3 itself; the residual path's share goes into LN2's backward. */
  const float *dfcproj = dres3, *dattproj;
  if (m->drop_p > 0.0f) {
    float *buf = la(d, m, CS__A_FCPROJ, l); /* zeroed */
    cs__dropout_backward(buf, dres3, n, &d_fc);
    dfcproj = buf;
  }
  cs__mlp_backward(dln2, lp(g, m, CS__P_FCW, l), lp(g, m, CS__P_FCB, l),
                   lp(g, m, CS__P_FCPROJW, l), lp(g, m, CS__P_FCPROJB, l), dfch, dfch_gelu, dfcproj,
                   la(a, m, CS__A_LN2, l), la(a, m, CS__A_FCH, l), la(a, m, CS__A_FCH_GELU, l),
                   lp(p, m, CS__P_FCW, l), lp(p, m, CS__P_FCPROJW, l), BT, C, 4 * C);
  /* dres2 = dres3 + LN2's input gradient */
  cs__layernorm_backward_to(dres2, dres3, lp(g, m, CS__P_LN2W, l), lp(g, m, CS__P_LN2B, l),
                            dln2, la(a, m, CS__A_RESIDUAL2, l), lp(p, m, CS__P_LN2W, l),
                            la(a, m, CS__A_LN2_MEAN, l), la(a, m, CS__A_LN2_RSTD, l), BT, C);
  /* x2 = x + drop(attproj): the same split */
  dattproj = dres2;
  if (m->drop_p > 0.0f) {
    float *buf = la(d, m, CS__A_ATTPROJ, l); /* zeroed */
    cs__dropout_backward(buf, dres2, n, &d_proj);
    dattproj = buf;
  }
  cs__matmul_backward(datty, lp(g, m, CS__P_ATTPROJW, l), lp(g, m, CS__P_ATTPROJB, l), dattproj,
                      la(a, m, CS__A_ATTY, l), lp(p, m, CS__P_ATTPROJW, l), BT, C, C);
  cs__attention_backward(dqkv, la(d, m, CS__A_ATT, l), att_scratch_of(m, sh), datty,
                         la(a, m, CS__A_QKV, l), la(a, m, CS__A_ATT, l), B, T, C, NH, &d_att);
  cs__matmul_backward(dln1, lp(g, m, CS__P_QKVW, l), lp(g, m, CS__P_QKVB, l), dqkv,
                      la(a, m, CS__A_LN1, l), lp(p, m, CS__P_QKVW, l), BT, C, 3 * C);
  /* dresidual = dres2 + LN1's input gradient */
  cs__layernorm_backward_to(dresidual, dres2, lp(g, m, CS__P_LN1W, l), lp(g, m, CS__P_LN1B, l),
                            dln1, residual, lp(p, m, CS__P_LN1W, l), la(a, m, CS__A_LN1_MEAN, l),
                            la(a, m, CS__A_LN1_RSTD, l), BT, C);
}

/* The whole backward for one share; dlosses are 1/(B*T) of the whole batch. */
static void backward_share(cs_model_t *m, const share_t *sh) {
  int T = m->T, C = m->cfg.n_embd, V = m->cfg.vocab_size, L = m->cfg.n_layer;
  int BT = sh->B * T;
  const cs__params_t *p = &m->params, *g = &sh->g;
  const cs__acts_t *a = &sh->a, *d = &sh->d;
  zero_share(m, sh);
  float *dlosses = d->t[CS__A_LOSSES];
  for (int i = 0; i < BT; i++) dlosses[i] = 1.0f / (float)(m->B * T);

  cs__crossentropy_backward(d->t[CS__A_LOGITS], dlosses, a->t[CS__A_PROBS], sh->targets, BT, V);
  cs__matmul_backward(d->t[CS__A_LNF], g->t[CS__P_WTE], NULL, d->t[CS__A_LOGITS],
                      a->t[CS__A_LNF], p->t[CS__P_WTE], BT, C, V);
  /* the last residual stream's gradient: written, from LN_f alone */
  cs__layernorm_backward_to(la(d, m, CS__A_RESIDUAL3, L - 1), NULL, g->t[CS__P_LNFW],
                            g->t[CS__P_LNFB], d->t[CS__A_LNF], la(a, m, CS__A_RESIDUAL3, L - 1),
                            p->t[CS__P_LNFW], a->t[CS__A_LNF_MEAN], a->t[CS__A_LNF_RSTD], BT, C);
  for (int l = L - 1; l >= 0; l--) {
    const float *res = l == 0 ? a->t[CS__A_ENCODED] : la(a, m, CS__A_RESIDUAL3, l - 1);
    float *dres = l == 0 ? d->t[CS__A_ENCODED] : la(d, m, CS__A_RESIDUAL3, l - 1);
    block_backward(m, l, res, dres, sh);
  }
  if (m->drop_p > 0.0f) {
    cs__drop_t dd = drop_at(m, CS__SITE_EMBED, sh, (size_t)T * C);
    cs__dropout_backward(d->t[CS__A_ENCODED], d->t[CS__A_ENCODED], (size_t)BT * C, &dd);
  }
  cs__encoder_backward(g->t[CS__P_WTE], g->t[CS__P_WPE], d->t[CS__A_ENCODED], sh->inputs, sh->B,
                       T, C);
}

int cs_model_backward(cs_model_t *m, cs_diag_t *diag) {
  if (!m->acts_buf || !m->have_targets)
    return cs_diag_set(diag, CS_EINVAL, "model: backward needs a forward with targets first");
  int nt = split_threads(m, m->B, m->T);
  int rc = ensure_dacts(m, nt, diag);
  /* again: the thread count may have changed since the forward */
  if (!rc) rc = ensure_att_scratch(m, m->T, nt, diag);
  if (rc) return rc;
  if (nt == 1) {
    share_t sh = share_of(m, 0, 1, &m->grads);
    backward_share(m, &sh);
    return CS_OK;
  }
  size_t np = m->n_params;
#pragma omp parallel num_threads(nt)
  {
    int t = omp_get_thread_num(), parts = omp_get_num_threads();
    cs__params_t own;
    float *buf = t == 0 ? m->grads_buf : m->tgrads_buf + (size_t)(t - 1) * np;
    if (t > 0) memset(buf, 0, np * sizeof(float));
    cs__param_views(&m->cfg, buf, &own);
    share_t sh = share_of(m, t, parts, &own);
    backward_share(m, &sh);
#pragma omp barrier
    /* the shares' parameter gradients, added in thread order */
#pragma omp for simd schedule(static)
    for (size_t i = 0; i < np; i++) {
      float s = m->grads_buf[i];
      for (int k = 1; k < parts; k++) s += m->tgrads_buf[(size_t)(k - 1) * np + i];
      m->grads_buf[i] = s;
    }
  }
  return CS_OK;
}
