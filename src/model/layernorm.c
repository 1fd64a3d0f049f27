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
#pragma omp simd reduction(+ : m)
    for (int c = 0; c < C; c++) m += x[c];
    m /= (float)C;
    float v = 0.0f;
#pragma omp simd reduction(+ : v)
    for (int c = 0; c < C; c++) {
      float d = x[c] - m;
      v += d * d;
    }
    v /= (float)C;
    float s = 1.0f / sqrtf(v + LN_EPS);
    float *o = out + (size_t)n * C;
#pragma omp simd
    for (int c = 0; c < C; c++) o[c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

/* dinp = dbase + the input gradient; dbase may be dinp (accumulate) or
 * NULL (write). */
static void layernorm_backward_inp(float *dinp, const float *dbase, const float *dout,
                                   const float *inp, const float *weight, const float *mean,
                                   const float *rstd, int N, int C) {
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C))
  for (int n = 0; n < N; n++) {
    const float *x = inp + (size_t)n * C, *d = dout + (size_t)n * C;
    float *dx = dinp + (size_t)n * C;
    float m = mean[n], s = rstd[n];
    float dnorm_mean = 0.0f, dnorm_norm_mean = 0.0f;
#pragma omp simd reduction(+ : dnorm_mean, dnorm_norm_mean)
    for (int c = 0; c < C; c++) {
      float dnorm = weight[c] * d[c];
      dnorm_mean += dnorm;
      dnorm_norm_mean += dnorm * (x[c] - m) * s;
    }
    dnorm_mean /= (float)C;
    dnorm_norm_mean /= (float)C;
    if (dbase) {
      const float *b = dbase + (size_t)n * C;
#pragma omp simd
      for (int c = 0; c < C; c++) {
        float norm = (x[c] - m) * s;
        dx[c] = b[c] + (weight[c] * d[c] - dnorm_mean - norm * dnorm_norm_mean) * s;
      }
    } else {
#pragma omp simd
      for (int c = 0; c < C; c++) {
        float norm = (x[c] - m) * s;
        dx[c] = (weight[c] * d[c] - dnorm_mean - norm * dnorm_norm_mean) * s;
      }
    }
  }
}

/* Blocks of CB channels, each summed over rows in order (the same sums for
 * any CB); 256 channels are 1 KiB of a row, which streams (cs__bias_backward). */
static void layernorm_backward_params(float *dweight, float *dbias, const float *dout,
                                      const float *inp, const float *mean, const float *rstd,
                                      int N, int C) {
  enum { CB = 256 };
  int n_blocks = (C + CB - 1) / CB;
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C))
  for (int blk = 0; blk < n_blocks; blk++) {
    int c0 = blk * CB, w = c0 + CB < C ? CB : C - c0;
    float dw[CB] = {0}, db[CB] = {0};
    for (int n = 0; n < N; n++) {
      const float *x = inp + (size_t)n * C + c0, *d = dout + (size_t)n * C + c0;
      float m = mean[n], s = rstd[n];
#pragma omp simd
      for (int j = 0; j < w; j++) {
        dw[j] += (x[j] - m) * s * d[j];
        db[j] += d[j];
      }
    }
    for (int j = 0; j < w; j++) {
      dweight[c0 + j] += dw[j];
      dbias[c0 + j] += db[j];
    }
  }
}

void cs__layernorm_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                            const float *inp, const float *weight, const float *mean,
                            const float *rstd, int N, int C) {
  cs__layernorm_backward_to(dinp, dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C);
}

void cs__layernorm_backward_to(float *dinp, const float *dbase, float *dweight, float *dbias,
                               const float *dout, const float *inp, const float *weight,
                               const float *mean, const float *rstd, int N, int C) {
  layernorm_backward_inp(dinp, dbase, dout, inp, weight, mean, rstd, N, C);
  layernorm_backward_params(dweight, dbias, dout, inp, mean, rstd, N, C);
}
