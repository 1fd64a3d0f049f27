/* config.c — model configurations, presets, and the parameter and
 * activation layouts derived from them. */
#include <string.h>

#include "model/model_int.h"

typedef struct {
  const char *name;
  int n_layer, n_head, n_embd, max_seq_len;
} preset_t;

static const preset_t PRESETS[] = {
    {"tiny", 2, 2, 32, 32},
    {"small", 4, 4, 128, 128},
    {"base", 6, 6, 384, 256},
};

int cs_model_preset(const char *name, int vocab_size, cs_model_config_t *out, cs_diag_t *diag) {
  for (size_t i = 0; i < sizeof PRESETS / sizeof PRESETS[0]; i++) {
    if (strcmp(name, PRESETS[i].name) != 0) continue;
    cs_model_config_t c = {vocab_size, PRESETS[i].max_seq_len, PRESETS[i].n_layer,
                           PRESETS[i].n_head, PRESETS[i].n_embd, 0.0f};
    int rc = cs_model_config_check(&c, diag);
    if (rc) return rc;
    *out = c;
    return CS_OK;
  }
  return cs_diag_set(diag, CS_ENOTFOUND, "unknown model preset '%s' (tiny, small, base)", name);
}

static int check_dim(const char *field, int v, cs_diag_t *diag) {
  if (v < 1 || v > CS_MODEL_MAX_DIM)
    return cs_diag_set(diag, CS_EINVAL, "model config: %s: %d is not in 1..%d", field, v,
                       CS_MODEL_MAX_DIM);
  return CS_OK;
}

int cs_model_config_check(const cs_model_config_t *c, cs_diag_t *diag) {
  int rc;
  if ((rc = check_dim("vocab_size", c->vocab_size, diag)) ||
      (rc = check_dim("n_positions", c->max_seq_len, diag)) ||
      (rc = check_dim("n_layer", c->n_layer, diag)) ||
      (rc = check_dim("n_head", c->n_head, diag)) ||
      (rc = check_dim("n_embd", c->n_embd, diag)))
    return rc;
  if (c->n_layer > 1024)
    return cs_diag_set(diag, CS_EINVAL, "model config: n_layer: %d is more than 1024", c->n_layer);
  if (c->n_embd % c->n_head != 0)
    return cs_diag_set(diag, CS_EINVAL, "model config: n_embd %d is not a multiple of n_head %d",
                       c->n_embd, c->n_head);
  if (!(c->dropout >= 0.0f && c->dropout < 1.0f))
    return cs_diag_set(diag, CS_EINVAL, "model config: dropout: %g is not in [0,1)",
                       (double)c->dropout);
  return CS_OK;
}

int cs__mul_size(size_t a, size_t b, size_t *out) {
  if (a != 0 && b > SIZE_MAX / a) return CS_ERANGE;
  *out = a * b;
  return CS_OK;
}

/* With every dimension at most 2^16 and L at most 2^10, the largest tensor,
 * fcw (L,4C,C), is below 2^44 elements: no overflow in 64-bit size_t. */
size_t cs__param_sizes(const cs_model_config_t *c, size_t s[CS__N_PARAM_TENSORS]) {
  size_t V = (size_t)c->vocab_size, maxT = (size_t)c->max_seq_len;
  size_t L = (size_t)c->n_layer, C = (size_t)c->n_embd;
  s[CS__P_WTE] = V * C;
  s[CS__P_WPE] = maxT * C;
  s[CS__P_LN1W] = L * C;
  s[CS__P_LN1B] = L * C;
  s[CS__P_QKVW] = L * 3 * C * C;
  s[CS__P_QKVB] = L * 3 * C;
  s[CS__P_ATTPROJW] = L * C * C;
  s[CS__P_ATTPROJB] = L * C;
  s[CS__P_LN2W] = L * C;
  s[CS__P_LN2B] = L * C;
  s[CS__P_FCW] = L * 4 * C * C;
  s[CS__P_FCB] = L * 4 * C;
  s[CS__P_FCPROJW] = L * C * 4 * C;
  s[CS__P_FCPROJB] = L * C;
  s[CS__P_LNFW] = C;
  s[CS__P_LNFB] = C;
  size_t total = 0;
  for (int i = 0; i < CS__N_PARAM_TENSORS; i++) total += s[i];
  return total;
}

size_t cs_model_config_num_params(const cs_model_config_t *c) {
  size_t s[CS__N_PARAM_TENSORS];
  return cs__param_sizes(c, s);
}

void cs__param_views(const cs_model_config_t *c, float *buf, cs__params_t *out) {
  size_t s[CS__N_PARAM_TENSORS];
  cs__param_sizes(c, s);
  for (int i = 0; i < CS__N_PARAM_TENSORS; i++) {
    out->t[i] = buf;
    buf += s[i];
  }
}

int cs__param_decays(int tensor) {
  return tensor == CS__P_WTE || tensor == CS__P_WPE || tensor == CS__P_QKVW ||
         tensor == CS__P_ATTPROJW || tensor == CS__P_FCW || tensor == CS__P_FCPROJW;
}

int cs__act_sizes(const cs_model_config_t *c, int B, int T, size_t s[CS__N_ACT_TENSORS],
                  size_t *out_total) {
  size_t L = (size_t)c->n_layer, C = (size_t)c->n_embd, NH = (size_t)c->n_head;
  size_t V = (size_t)c->vocab_size, BT, LBT, att;
  if (cs__mul_size((size_t)B, (size_t)T, &BT) || cs__mul_size(L, BT, &LBT) ||
      cs__mul_size(LBT, NH, &att) || cs__mul_size(att, (size_t)T, &att))
    return CS_ERANGE;
  size_t LBTC, BTV;
  if (cs__mul_size(LBT, 4 * C, &LBTC) || cs__mul_size(BT, V, &BTV)) return CS_ERANGE;
  LBTC /= 4; /* (L,B,T,C); 4C checked above so 4*LBTC fits */
  s[CS__A_ENCODED] = BT * C;
  s[CS__A_LN1] = LBTC;
  s[CS__A_LN1_MEAN] = LBT;
  s[CS__A_LN1_RSTD] = LBT;
  s[CS__A_QKV] = 3 * LBTC;
  s[CS__A_ATTY] = LBTC;
  s[CS__A_ATT] = att;
  s[CS__A_ATTPROJ] = LBTC;
  s[CS__A_RESIDUAL2] = LBTC;
  s[CS__A_LN2] = LBTC;
  s[CS__A_LN2_MEAN] = LBT;
  s[CS__A_LN2_RSTD] = LBT;
  s[CS__A_FCH] = 4 * LBTC;
  s[CS__A_FCH_GELU] = 4 * LBTC;
  s[CS__A_FCPROJ] = LBTC;
  s[CS__A_RESIDUAL3] = LBTC;
  s[CS__A_LNF] = BT * C;
  s[CS__A_LNF_MEAN] = BT;
  s[CS__A_LNF_RSTD] = BT;
  s[CS__A_LOGITS] = BTV;
  s[CS__A_PROBS] = BTV;
  s[CS__A_LOSSES] = BT;
  size_t total = 0;
  for (int i = 0; i < CS__N_ACT_TENSORS; i++) {
    if (s[i] > SIZE_MAX / sizeof(float) - total) return CS_ERANGE;
    total += s[i];
  }
  *out_total = total;
  return CS_OK;
}

void cs__act_views(const size_t s[CS__N_ACT_TENSORS], float *buf, cs__acts_t *out) {
  for (int i = 0; i < CS__N_ACT_TENSORS; i++) {
    out->t[i] = buf;
    buf += s[i];
  }
}
