/* layernorm.c — LayerNorm over the last dimension, forward and backward.
 *
 * Backward runs in two passes so that no two threads add into one value:
 * rows in parallel for dinp, then channels in parallel for dweight/dbias,
 * each channel summed over rows in order. */
#include <math.h>

#include "model/model_int.h"

#define LN_EPS 1e-5f

void cs__layernorm_forward(float *out, float *mean, float *rstd, const float *inp,
                           const float *weight, const float *bias, int N, int C) {
  /* out (N,C), mean (N), rstd (N), inp (N,C), weight (C), bias (C) */
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C))
  for (int n = 0; n < N; n++) {
    const float *x = inp + (size_t)n * C;
    float m = 0.0f;
    for (int c = 0; c < C; c++) m += x[c];
    m /= (float)C;
    float v = 0.0f;
    for (int c = 0; c < C; c++) {
      float d = x[c] - m;
      v += d * d;
    }
    v /= (float)C;
    float s = 1.0f / sqrtf(v + LN_EPS);
    float *o = out + (size_t)n * C;
    for (int c = 0; c < C; c++) o[c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

static void layernorm_backward_inp(float *dinp, const float *dout, const float *inp,
                                   const float *weight, const float *mean, const float *rstd,
                                   int N, int C) {
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C))
  for (int n = 0; n < N; n++) {
    const float *x = inp + (size_t)n * C, *d = dout + (size_t)n * C;
    float *dx = dinp + (size_t)n * C;
    float m = mean[n], s = rstd[n];
    float dnorm_mean = 0.0f, dnorm_norm_mean = 0.0f;
    for (int c = 0; c < C; c++) {
      float dnorm = weight[c] * d[c];
      dnorm_mean += dnorm;
      dnorm_norm_mean += dnorm * (x[c] - m) * s;
    }
    dnorm_mean /= (float)C;
    dnorm_norm_mean /= (float)C;
    for (int c = 0; c < C; c++) {
      float norm = (x[c] - m) * s;
      dx[c] += (weight[c] * d[c] - dnorm_mean - norm * dnorm_norm_mean) * s;
    }
  }
}

static void layernorm_backward_params(float *dweight, float *dbias, const float *dout,
                                      const float *inp, const float *mean, const float *rstd,
                                      int N, int C) {
  enum { CB = 16 };
  int n_blocks = (C + CB - 1) / CB;
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C))
  for (int blk = 0; blk < n_blocks; blk++) {
    int c0 = blk * CB, c1 = c0 + CB < C ? c0 + CB : C;
    float dw[CB] = {0}, db[CB] = {0};
    for (int n = 0; n < N; n++) {
      const float *x = inp + (size_t)n * C, *d = dout + (size_t)n * C;
      for (int c = c0; c < c1; c++) {
        dw[c - c0] += (x[c] - mean[n]) * rstd[n] * d[c];
        db[c - c0] += d[c];
      }
    }
    for (int c = c0; c < c1; c++) {
      dweight[c] += dw[c - c0];
      dbias[c] += db[c - c0];
    }
  }
}

void cs__layernorm_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                            const float *inp, const float *weight, const float *mean,
                            const float *rstd, int N, int C) {
  layernorm_backward_inp(dinp, dout, inp, weight, mean, rstd, N, C);
  layernorm_backward_params(dweight, dbias, dout, inp, mean, rstd, N, C);
}
