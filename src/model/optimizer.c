/* optimizer.c — AdamW and global-norm gradient clipping.
 *
 * AdamW follows torch.optim.AdamW: p ← p·(1 − lr·wd), then
 * p ← p − lr · m̂ / (sqrt(v̂) + eps) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
 * Weight decay applies to the 2-D weight matrices and embeddings only. */
/* Compiled with -fno-math-errno (CMakeLists.txt): errno is never read
 * after sqrtf here, and without it GCC keeps a call to libm's sqrtf beside
 * the vector square root, for negative inputs, so the loop stays scalar. */

#include <math.h>
#include <stdlib.h>

#include "model/model_int.h"

cs_adamw_t cs_adamw_defaults(void) {
  cs_adamw_t h = {3e-4f, 0.9f, 0.95f, 1e-8f, 0.1f};
  return h;
}

/* One tensor's update; called by every thread of the caller's parallel
 * region, which share the elements (no barrier at the end). */
static void adamw_tensor(float *p, const float *g, float *mm, float *vv, size_t n,
                         const cs_adamw_t *h, float wd, float bc1, float bc2) {
  float b1 = h->beta1, b2 = h->beta2, lr = h->lr, eps = h->eps, decay = 1.0f - lr * wd;
#pragma omp for simd schedule(static) nowait
  for (size_t i = 0; i < n; i++) {
    float m = b1 * mm[i] + (1.0f - b1) * g[i];
    float v = b2 * vv[i] + (1.0f - b2) * g[i] * g[i];
    mm[i] = m;
    vv[i] = v;
    float mhat = m / bc1, vhat = v / bc2;
    float x = p[i] * decay;
    p[i] = x - lr * (mhat / (sqrtf(vhat) + eps));
  }
}

int cs_model_adamw_step(cs_model_t *m, const cs_adamw_t *h, cs_diag_t *diag) {
  if (!(h->beta1 >= 0.0f && h->beta1 < 1.0f && h->beta2 >= 0.0f && h->beta2 < 1.0f &&
        h->eps >= 0.0f && h->lr >= 0.0f && h->weight_decay >= 0.0f))
    return cs_diag_set(diag, CS_EINVAL, "adamw: hyperparameters out of range");
  if (!m->adam_m) {
    m->adam_m = calloc(m->n_params, sizeof(float));
    m->adam_v = calloc(m->n_params, sizeof(float));
    if (!m->adam_m || !m->adam_v) {
      free(m->adam_m);
      free(m->adam_v);
      m->adam_m = m->adam_v = NULL;
      return cs_diag_set(diag, CS_ENOMEM, "adamw: out of memory for optimizer state");
    }
  }
  m->step++;
  float bc1 = 1.0f - powf(h->beta1, (float)m->step);
  float bc2 = 1.0f - powf(h->beta2, (float)m->step);
  /* one parallel region for all 16 tensors: each is split between the
   * threads in the same static way, so a thread never waits for another
   * until the region ends */
#pragma omp parallel if (CS__PAR(m->n_params))
  {
    size_t off = 0;
    for (int i = 0; i < CS__N_PARAM_TENSORS; i++) {
      size_t n = m->param_sizes[i];
      float wd = cs__param_decays(i) ? h->weight_decay : 0.0f;
      adamw_tensor(m->params_buf + off, m->grads_buf + off, m->adam_m + off, m->adam_v + off, n,
                   h, wd, bc1, bc2);
      off += n;
    }
  }
  return CS_OK;
}

/* Sum of squares in fixed chunks, chunks added in order: the same result
 * for any thread count. */
static double grad_sumsq(const float *g, size_t n) {
  enum { CHUNK = 1 << 14 };
  size_t n_chunks = (n + CHUNK - 1) / CHUNK;
  double *part = malloc(n_chunks * sizeof(double));
  double total = 0.0;
  if (!part) { /* fall back to one thread, same order of chunks */
    for (size_t k = 0; k < n_chunks; k++) {
      double s = 0.0;
      size_t end = (k + 1) * CHUNK < n ? (k + 1) * CHUNK : n;
      for (size_t i = k * CHUNK; i < end; i++) s += (double)g[i] * g[i];
      total += s;
    }
    return total;
  }
#pragma omp parallel for schedule(static) if (CS__PAR(n))
  for (size_t k = 0; k < n_chunks; k++) {
    double s = 0.0;
    size_t end = (k + 1) * CHUNK < n ? (k + 1) * CHUNK : n;
    for (size_t i = k * CHUNK; i < end; i++) s += (double)g[i] * g[i];
    part[k] = s;
  }
  for (size_t k = 0; k < n_chunks; k++) total += part[k];
  free(part);
  return total;
}

float cs_model_clip_grad_norm(cs_model_t *m, float max_norm) {
  float norm = (float)sqrt(grad_sumsq(m->grads_buf, m->n_params));
  if (max_norm > 0.0f && norm > max_norm) {
    float scale = max_norm / (norm + 1e-6f);
    float *g = m->grads_buf;
#pragma omp parallel for schedule(static) if (CS__PAR(m->n_params))
    for (size_t i = 0; i < m->n_params; i++) g[i] *= scale;
  }
  return norm;
}
