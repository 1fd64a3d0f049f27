/* attention.c — causal multi-head self-attention, forward and backward.
 *
 * Two versions: the *_ref loops below are the definition; the fast kernels
 * (attention_blas.c) do the same per head with BLAS and are tested against
 * them.
 *
 * inp (B,T,3C) holds for each position the query, key and value vectors,
 * each C wide and split into NH heads of hs = C/NH channels. Row t of head h
 * attends to positions 0..t: att = softmax(q·kᵀ/sqrt(hs)), out = att·v.
 * Forward tasks are rows (b,h,t); backward tasks are whole heads (b,h),
 * because every row adds into the keys and values of earlier positions.
 * Backward is O(T²) per head: the softmax backward of a row is
 * dpre[t2] = att[t2] (datt[t2] - Σ att·datt), linear in the row length.
 * Attention dropout scales att after the softmax; masks come from
 * cs__drop_scale at the index of the att element. */
#include <math.h>

#include "model/model_int.h"

static inline __attribute__((always_inline)) float dot(const float *a, const float *b, int n) {
  float s = 0.0f;
#pragma omp simd reduction(+ : s)
  for (int i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

static inline __attribute__((always_inline)) void axpy(float *y, float a, const float *x, int n) {
#pragma omp simd
  for (int i = 0; i < n; i++) y[i] += a * x[i];
}

/* Softmax of row[0..n) in place, scaled logits already in row. */
static void softmax_row(float *row, int n) {
  float maxv = -INFINITY;
  for (int i = 0; i < n; i++)
    if (row[i] > maxv) maxv = row[i];
  float sum = 0.0f;
  for (int i = 0; i < n; i++) {
    row[i] = expf(row[i] - maxv);
    sum += row[i];
  }
  float inv = 1.0f / sum;
  for (int i = 0; i < n; i++) row[i] *= inv;
}

void cs__attention_forward_ref(float *out, float *att, const float *inp, int B, int T, int C,
                               int NH, const cs__drop_t *drop) {
  /* out (B,T,C), att (B,NH,T,T), inp (B,T,3C) */
  int hs = C / NH;
  float scale = 1.0f / sqrtf((float)hs);
  size_t C3 = (size_t)C * 3;
#pragma omp parallel for collapse(3) schedule(static) if (CS__PAR((size_t)B * NH * T * T * hs))
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < NH; h++) {
      for (int t = 0; t < T; t++) {
        const float *q = inp + ((size_t)b * T + t) * C3 + (size_t)h * hs;
        size_t row0 = (((size_t)b * NH + h) * T + t) * T;
        float *row = att + row0;
        for (int t2 = 0; t2 <= t; t2++) {
          const float *k = inp + ((size_t)b * T + t2) * C3 + C + (size_t)h * hs;
          row[t2] = dot(q, k, hs) * scale;
        }
        softmax_row(row, t + 1);
        for (int t2 = t + 1; t2 < T; t2++) row[t2] = 0.0f;
        float *o = out + ((size_t)b * T + t) * C + (size_t)h * hs;
        for (int i = 0; i < hs; i++) o[i] = 0.0f;
        for (int t2 = 0; t2 <= t; t2++) {
          const float *v = inp + ((size_t)b * T + t2) * C3 + 2 * (size_t)C + (size_t)h * hs;
          float a = row[t2];
          if (drop->p > 0.0f) a *= cs__drop_scale(drop, row0 + (size_t)t2);
          axpy(o, a, v, hs);
        }
      }
    }
  }
}

/* One head (b,h) of the backward pass. */
static void attention_backward_head(float *dinp, float *datt, const float *dout,
                                    const float *inp, const float *att, int b, int h, int T,
                                    int C, int NH, const cs__drop_t *drop) {
  int hs = C / NH;
  float scale = 1.0f / sqrtf((float)hs);
  size_t C3 = (size_t)C * 3;
  for (int t = 0; t < T; t++) {
    size_t row0 = (((size_t)b * NH + h) * T + t) * T;
    const float *arow = att + row0;
    float *drow = datt + row0;
    const float *d = dout + ((size_t)b * T + t) * C + (size_t)h * hs;
    /* through out = att·v */
    for (int t2 = 0; t2 <= t; t2++) {
      size_t base = ((size_t)b * T + t2) * C3 + 2 * (size_t)C + (size_t)h * hs;
      float ds = drop->p > 0.0f ? cs__drop_scale(drop, row0 + (size_t)t2) : 1.0f;
      drow[t2] = dot(d, inp + base, hs) * ds;
      axpy(dinp + base, arow[t2] * ds, d, hs);
    }
    /* through the softmax, O(T) per row */
    float s = 0.0f;
    for (int t2 = 0; t2 <= t; t2++) s += arow[t2] * drow[t2];
    size_t qoff = ((size_t)b * T + t) * C3 + (size_t)h * hs;
    for (int t2 = 0; t2 <= t; t2++) {
      float dpre = arow[t2] * (drow[t2] - s) * scale;
      size_t koff = ((size_t)b * T + t2) * C3 + C + (size_t)h * hs;
      axpy(dinp + qoff, dpre, inp + koff, hs);
      axpy(dinp + koff, dpre, inp + qoff, hs);
    }
  }
}

void cs__attention_backward_ref(float *dinp, float *datt, const float *dout, const float *inp,
                                const float *att, int B, int T, int C, int NH,
                                const cs__drop_t *drop) {
  /* dinp (B,T,3C), datt (B,NH,T,T) scratch, dout (B,T,C) */
#pragma omp parallel for collapse(2) schedule(static) if (CS__PAR((size_t)B * NH * T * T * (C / NH)))
  for (int b = 0; b < B; b++)
    for (int h = 0; h < NH; h++)
      attention_backward_head(dinp, datt, dout, inp, att, b, h, T, C, NH, drop);
}

void cs__attention_step(float *out, float *scratch, const float *q, const float *k,
                        const float *v, int n, int C, int NH) {
  /* out (C), scratch (NH,n), q (C), k (n,C), v (n,C) */
  int hs = C / NH;
  float scale = 1.0f / sqrtf((float)hs);
  for (int h = 0; h < NH; h++) {
    float *row = scratch + (size_t)h * n;
    const float *qh = q + (size_t)h * hs;
    for (int t2 = 0; t2 < n; t2++) row[t2] = dot(qh, k + (size_t)t2 * C + (size_t)h * hs, hs) * scale;
    softmax_row(row, n);
    float *o = out + (size_t)h * hs;
    for (int i = 0; i < hs; i++) o[i] = 0.0f;
    for (int t2 = 0; t2 < n; t2++) axpy(o, row[t2], v + (size_t)t2 * C + (size_t)h * hs, hs);
  }
}
