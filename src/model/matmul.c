/* matmul.c — the linear layer: out = inp · Wᵀ + b, through BLAS.
 *
 * W is stored (OC,C) like nn.Linear (and llm.c); the checkpoint writer
 * transposes to Hugging Face's Conv1D (in,out). The *_ref functions are the
 * plain loops, kept as the definition and checked against BLAS in the tests.
 * OpenBLAS (OpenMP build) runs single-threaded when called from inside an
 * OpenMP parallel region, so calling these from parallel code is safe. */
#include <cblas.h>

#include "model/model_int.h"

void cs__matmul_forward_ref(float *out, const float *inp, const float *weight,
                            const float *bias, int N, int C, int OC) {
  /* out (N,OC), inp (N,C), weight (OC,C), bias (OC) */
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C * OC))
  for (int n = 0; n < N; n++) {
    const float *x = inp + (size_t)n * C;
    for (int o = 0; o < OC; o++) {
      const float *w = weight + (size_t)o * C;
      float v = bias ? bias[o] : 0.0f;
      for (int c = 0; c < C; c++) v += x[c] * w[c];
      out[(size_t)n * OC + o] = v;
    }
  }
}

void cs__matmul_forward(float *out, const float *inp, const float *weight, const float *bias,
                        int N, int C, int OC) {
  if (N == 1) { /* one row (the KV-cache step): plain dot products on this
                 * thread. OpenBLAS's sgemv would fork threads for every
                 * product, which on a loaded machine made sampling 8x
                 * slower; its sgemm took a slower small-matrix path. */
    for (int o = 0; o < OC; o++) {
      const float *w = weight + (size_t)o * C;
      float v = 0.0f;
#pragma omp simd reduction(+ : v)
      for (int c = 0; c < C; c++) v += inp[c] * w[c];
      out[o] = (bias ? bias[o] : 0.0f) + v;
    }
    return;
  }
  float beta = 0.0f;
  if (bias) {
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * OC))
    for (int n = 0; n < N; n++)
      for (int o = 0; o < OC; o++) out[(size_t)n * OC + o] = bias[o];
    beta = 1.0f;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, OC, C, 1.0f, inp, C, weight, C, beta,
              out, OC);
}

/* dbias (OC) += column sums of dout (N,OC); each thread owns whole blocks
 * of CB columns and sums its rows in order, a row's CB columns at a time
 * (contiguous, so the adds vectorise). CB = 256: a 64-column strip of a
 * (1024,1152) dout read 256 bytes a row and ran at a quarter of memory
 * speed; 1 KiB a row streams. The sums are the same for any CB. */
void cs__bias_backward(float *dbias, const float *dout, int N, int OC) {
  enum { CB = 256 };
  int n_blocks = (OC + CB - 1) / CB;
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * OC))
  for (int blk = 0; blk < n_blocks; blk++) {
    int o0 = blk * CB, w = o0 + CB < OC ? CB : OC - o0;
    float acc[CB] = {0};
    for (int n = 0; n < N; n++) {
      const float *d = dout + (size_t)n * OC + o0;
#pragma omp simd
      for (int j = 0; j < w; j++) acc[j] += d[j];
    }
    for (int j = 0; j < w; j++) dbias[o0 + j] += acc[j];
  }
}

void cs__matmul_backward_ref(float *dinp, float *dweight, float *dbias, const float *dout,
                             const float *inp, const float *weight, int N, int C, int OC) {
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C * OC))
  for (int n = 0; n < N; n++) {
    const float *d = dout + (size_t)n * OC;
    float *dx = dinp + (size_t)n * C;
    for (int o = 0; o < OC; o++) {
      const float *w = weight + (size_t)o * C;
      for (int c = 0; c < C; c++) dx[c] += w[c] * d[o];
    }
  }
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C * OC))
  for (int o = 0; o < OC; o++) {
    float *dw = dweight + (size_t)o * C;
    for (int n = 0; n < N; n++) {
      const float *x = inp + (size_t)n * C;
      float d = dout[(size_t)n * OC + o];
      for (int c = 0; c < C; c++) dw[c] += x[c] * d;
    }
    if (dbias) {
      float s = 0.0f;
      for (int n = 0; n < N; n++) s += dout[(size_t)n * OC + o];
      dbias[o] += s;
    }
  }
}

void cs__matmul_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                         const float *inp, const float *weight, int N, int C, int OC) {
  /* dinp (N,C) += dout (N,OC) · weight (OC,C) */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, C, OC, 1.0f, dout, OC, weight, C,
              1.0f, dinp, C);
  /* dweight (OC,C) += dout (N,OC)ᵀ · inp (N,C) */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, N, 1.0f, dout, OC, inp, C, 1.0f,
              dweight, C);
  if (dbias) cs__bias_backward(dbias, dout, N, OC);
}
