/* model.c — a model's lifetime: allocation, GPT-2 initialisation, access. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"

int cs_model_new(const cs_model_config_t *cfg, cs_model_t **out, cs_diag_t *diag) {
  int rc = cs_model_config_check(cfg, diag);
  if (rc) return rc;
  cs_model_t *m = calloc(1, sizeof *m);
  if (!m) return cs_diag_set(diag, CS_ENOMEM, "model: out of memory");
  m->cfg = *cfg;
  m->split_min = CS__SPLIT_MIN;
  m->n_params = cs__param_sizes(cfg, m->param_sizes);
  m->params_buf = calloc(m->n_params, sizeof(float));
  m->grads_buf = calloc(m->n_params, sizeof(float));
  if (!m->params_buf || !m->grads_buf) {
    size_t n = m->n_params;
    cs_model_free(m);
    return cs_diag_set(diag, CS_ENOMEM, "model: out of memory for %zu parameters", n);
  }
  cs__param_views(cfg, m->params_buf, &m->params);
  cs__param_views(cfg, m->grads_buf, &m->grads);
  *out = m;
  return CS_OK;
}

void cs_model_free(cs_model_t *m) {
  if (!m) return;
  free(m->params_buf);
  free(m->grads_buf);
  free(m->adam_m);
  free(m->adam_v);
  free(m->acts_buf);
  free(m->dacts_buf);
  free(m->inputs);
  free(m->targets);
  free(m->att_scratch);
  free(m->tgrads_buf);
  free(m);
}

static void fill_normal(float *p, size_t n, float std, cs_model_rng_t *rng) {
  for (size_t i = 0; i < n; i++) p[i] = std * cs__rng_normal(rng);
}

static void fill(float *p, size_t n, float v) {
  for (size_t i = 0; i < n; i++) p[i] = v;
}

void cs_model_init(cs_model_t *m, cs_model_rng_t *rng) {
  float std = 0.02f;
  float resid_std = std / sqrtf(2.0f * (float)m->cfg.n_layer);
  for (int i = 0; i < CS__N_PARAM_TENSORS; i++) {
    float *p = m->params.t[i];
    size_t n = m->param_sizes[i];
    switch (i) {
    case CS__P_ATTPROJW:
    case CS__P_FCPROJW: fill_normal(p, n, resid_std, rng); break;
    case CS__P_LN1W:
    case CS__P_LN2W:
    case CS__P_LNFW: fill(p, n, 1.0f); break;
    default:
      if (cs__param_decays(i)) fill_normal(p, n, std, rng);
      else fill(p, n, 0.0f);
    }
  }
  memset(m->grads_buf, 0, m->n_params * sizeof(float));
  free(m->adam_m);
  free(m->adam_v);
  m->adam_m = m->adam_v = NULL;
  m->step = 0;
}

const cs_model_config_t *cs_model_config(const cs_model_t *m) { return &m->cfg; }
size_t cs_model_num_params(const cs_model_t *m) { return m->n_params; }
float *cs_model_params(cs_model_t *m) { return m->params_buf; }
float *cs_model_grads(cs_model_t *m) { return m->grads_buf; }
uint64_t cs_model_step_count(const cs_model_t *m) { return m->step; }

void cs_model_zero_grad(cs_model_t *m) { memset(m->grads_buf, 0, m->n_params * sizeof(float)); }

const float *cs_model_logits(const cs_model_t *m) {
  return m->acts_buf ? m->acts.t[CS__A_LOGITS] : NULL;
}
