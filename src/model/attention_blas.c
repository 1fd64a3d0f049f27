/* attention_blas.c — causal attention per head through BLAS.
 *
 * The same computation as the reference loops in attention.c, arranged as
 * matrix products per head (b,h), with q, k, v read in place from the
 * (B,T,3C) buffer (row stride 3C):
 *   forward   S = q·kᵀ/sqrt(hs), P = causal softmax(S), out = drop(P)·v
 *   backward  dv += drop(P)ᵀ·dout, dP = drop'(dout·vᵀ),
 *             dS = P ⊙ (dP − rowsum(P ⊙ dP)) / sqrt(hs)   (O(t) per row)
 *             dq += dS·k, dk += dSᵀ·q
 * Rows are processed in blocks of RB: block [r0,r1) only needs columns
 * [0,r1), which skips most of the masked upper triangle. Heads run in
 * parallel; BLAS inside a parallel region runs single-threaded.
 * With scratch, a head's v (forward) or k and v (backward) are first
 * copied into contiguous (T,hs) buffers: read in place, every row is
 * 4.5 KiB from the next (stride 3C), and OpenBLAS's unpacked small-matrix
 * kernel ran att·v at 71 GFLOP/s instead of 127 on one core (T = 256,
 * hs = 64). */
/* Floating-point exceptions are never inspected (see gelu.c): the exp's
 * clamps become vector blends. Before the includes, so that cs__exp_fast is
 * compiled under the same options as its callers and inlined. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <string.h>

#include "model/model_int.h"

enum { RB = 64 }; /* rows per block */

typedef struct {
  const float *q, *k, *v; /* (T,hs) */
  int T, hs;
  int ldq, ldk, ldv; /* row strides: 3C in place, hs when copied */
} head_t;

static head_t head_at(const float *inp, int b, int h, int T, int C, int NH) {
  head_t hd;
  size_t base = (size_t)b * T * 3 * (size_t)C + (size_t)h * (size_t)(C / NH);
  hd.q = inp + base;
  hd.k = inp + base + C;
  hd.v = inp + base + 2 * (size_t)C;
  hd.T = T;
  hd.hs = C / NH;
  hd.ldq = hd.ldk = hd.ldv = 3 * C;
  return hd;
}

/* dst (T,hs) contiguous = src (T,hs) with row stride ld. */
static void gather(float *dst, const float *src, int T, int hs, int ld) {
  for (int t = 0; t < T; t++)
    memcpy(dst + (size_t)t * hs, src + (size_t)t * ld, (size_t)hs * sizeof(float));
}

/* T*T for dropout's masked rows, then two (T,hs) head buffers. */
size_t cs__att_scratch_floats(int T, int C, int NH) {
  return (size_t)T * (size_t)T + 2 * (size_t)T * (size_t)(C / NH);
}

/* Sum of x[0..n) as LANES partial sums combined in a fixed order: the
 * lane-wise adds are elementwise, so the AVX-512, AVX2 and baseline clones
 * of the callers give the same bits (an `omp simd` reduction would sum in
 * the vector width's order). */
enum { LANES = 16 };
static inline float sum_lanes(const float *x, int n) {
  float acc[LANES] = {0};
  int i = 0;
  for (; i + LANES <= n; i += LANES)
#pragma omp simd
    for (int j = 0; j < LANES; j++) acc[j] += x[i + j];
  for (int j = 0; i < n; i++, j++) acc[j] += x[i];
  float s = 0.0f;
  for (int j = 0; j < LANES; j++) s += acc[j];
  return s;
}

/* Largest of x[0..n), n >= 1, in LANES running maxima (GCC left the
 * `omp simd reduction(max)` form scalar). The maximum is exact in any order. */
static inline float max_lanes(const float *x, int n) {
  float acc[LANES], m = x[0];
  for (int j = 0; j < LANES; j++) acc[j] = m;
  int i = 0;
  for (; i + LANES <= n; i += LANES)
#pragma omp simd
    for (int j = 0; j < LANES; j++) acc[j] = x[i + j] > acc[j] ? x[i + j] : acc[j];
  for (; i < n; i++) m = x[i] > m ? x[i] : m;
  for (int j = 0; j < LANES; j++) m = acc[j] > m ? acc[j] : m;
  return m;
}

/* One row of P: softmax of row[0..n) in place, zero on [n,T). The exps use
 * cs__exp_fast (2 ulp) so that the row vectorises; baseline x86-64 has only
 * 4-wide SSE, hence the wider clones (the softmax was a third of the
 * attention forward). */
CS__WIDE_CLONES static void softmax_row(float *row, int n, int T) {
  float maxv = max_lanes(row, n);
#pragma omp simd
  for (int i = 0; i < n; i++) row[i] = cs__exp_fast(row[i] - maxv);
  float inv = 1.0f / sum_lanes(row, n);
#pragma omp simd
  for (int i = 0; i < n; i++) row[i] *= inv;
  for (int i = n; i < T; i++) row[i] = 0.0f;
}

/* P (T,T) rows [r0,r1): softmax of the scaled scores, zero above t. */
static void causal_softmax_rows(float *P, int T, int r0, int r1) {
  for (int t = r0; t < r1; t++) softmax_row(P + (size_t)t * T, t + 1, T);
}

/* dst rows [r0,r1) (lower triangle) = P ⊙ mask, att element index base row0. */
static void apply_drop(float *dst, const float *P, int T, int r0, int r1, size_t row0,
                       const cs__drop_t *drop) {
  for (int t = r0; t < r1; t++)
    for (int i = 0; i < T; i++) {
      size_t k = (size_t)t * T + (size_t)i;
      dst[k] = i <= t ? P[k] * cs__drop_scale(drop, row0 + k) : 0.0f;
    }
}

static void head_forward(float *out, float *P, float *Pd, const head_t *hd, int C, size_t row0,
                         const cs__drop_t *drop) {
  int T = hd->T, hs = hd->hs;
  float scale = 1.0f / sqrtf((float)hs);
  for (int r0 = 0; r0 < T; r0 += RB) {
    int r1 = r0 + RB < T ? r0 + RB : T, n = r1 - r0;
    /* S[r0:r1, 0:r1] = q[r0:r1] · k[0:r1]ᵀ · scale */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, r1, hs, scale,
                hd->q + (size_t)r0 * hd->ldq, hd->ldq, hd->k, hd->ldk, 0.0f, P + (size_t)r0 * T, T);
    causal_softmax_rows(P, T, r0, r1);
    const float *A = P;
    if (drop->p > 0.0f) {
      apply_drop(Pd, P, T, r0, r1, row0, drop);
      A = Pd;
    }
    /* out[r0:r1] = A[r0:r1, 0:r1] · v[0:r1] */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, hs, r1, 1.0f, A + (size_t)r0 * T, T,
                hd->v, hd->ldv, 0.0f, out + (size_t)r0 * C, C);
  }
}

void cs__attention_forward(float *out, float *att, float *scratch, const float *inp, int B,
                           int T, int C, int NH, const cs__drop_t *drop) {
  /* out (B,T,C), att (B,NH,T,T), inp (B,T,3C) */
  size_t per_thread = cs__att_scratch_floats(T, C, NH);
#pragma omp parallel for collapse(2) schedule(static) if (CS__PAR((size_t)B * NH * T * T))
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < NH; h++) {
      head_t hd = head_at(inp, b, h, T, C, NH);
      size_t row0 = ((size_t)b * NH + h) * T * T;
      float *own = scratch ? scratch + (size_t)omp_get_thread_num() * per_thread : NULL;
      float *Pd = drop->p > 0.0f ? own : NULL; /* the first T*T */
      if (own) { /* v contiguous, after the T*T */
        float *v = own + (size_t)T * T;
        gather(v, hd.v, T, hd.hs, hd.ldv);
        hd.v = v;
        hd.ldv = hd.hs;
      }
      head_forward(out + (size_t)b * T * C + (size_t)h * hd.hs, att + row0, Pd, &hd, C, row0, drop);
    }
  }
}

/* One row of dS in place of dP: p ⊙ (d − Σ p·d) · scale on [0,n), zero on
 * [n,w). The products go through a row buffer so that the sum is
 * sum_lanes' (the same bits in every clone). */
CS__WIDE_CLONES static void softmax_backward_row(float *d, const float *p, int n, int w,
                                                 float scale) {
  float pd[1024];
  float s = 0.0f;
  for (int i0 = 0; i0 < n; i0 += 1024) { /* chunks of 1024, added in order */
    int m = n - i0 < 1024 ? n - i0 : 1024;
#pragma omp simd
    for (int i = 0; i < m; i++) pd[i] = p[i0 + i] * d[i0 + i];
    s += sum_lanes(pd, m);
  }
#pragma omp simd
  for (int i = 0; i < n; i++) d[i] = p[i] * (d[i] - s) * scale;
  for (int i = n; i < w; i++) d[i] = 0.0f;
}

/* dS in place of dP, rows [r0,r1): P ⊙ (dP − Σ P·dP) · scale, zero above t. */
static void softmax_backward_rows(float *dP, const float *P, int T, int r0, int r1, float scale) {
  for (int t = r0; t < r1; t++)
    softmax_backward_row(dP + (size_t)t * T, P + (size_t)t * T, t + 1, r1, scale);
}

/* dq, dk, dv: (T,hs) with row stride ldd; dout (T,hs) with row stride ldo. */
static void head_backward(float *dq, float *dk, float *dv, int ldd, float *D, const float *dout,
                          int ldo, const float *P, const head_t *hd, size_t row0,
                          const cs__drop_t *drop) {
  int T = hd->T, hs = hd->hs;
  float scale = 1.0f / sqrtf((float)hs);
  for (int r0 = 0; r0 < T; r0 += RB) {
    int r1 = r0 + RB < T ? r0 + RB : T, n = r1 - r0;
    const float *A = P;
    if (drop->p > 0.0f) { /* D holds drop(P) for dv, then dP */
      apply_drop(D, P, T, r0, r1, row0, drop);
      A = D;
    }
    /* dv[0:r1] += A[r0:r1, 0:r1]ᵀ · dout[r0:r1] */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, r1, hs, n, 1.0f, A + (size_t)r0 * T, T,
                dout + (size_t)r0 * ldo, ldo, 1.0f, dv, ldd);
    /* dP[r0:r1, 0:r1] = dout[r0:r1] · v[0:r1]ᵀ, then through dropout */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, r1, hs, 1.0f, dout + (size_t)r0 * ldo,
                ldo, hd->v, hd->ldv, 0.0f, D + (size_t)r0 * T, T);
    if (drop->p > 0.0f)
      for (int t = r0; t < r1; t++)
        for (int i = 0; i <= t; i++)
          D[(size_t)t * T + i] *= cs__drop_scale(drop, row0 + (size_t)t * T + (size_t)i);
    softmax_backward_rows(D, P, T, r0, r1, scale);
    /* dq[r0:r1] += dS[r0:r1, 0:r1] · k[0:r1];  dk[0:r1] += dS[r0:r1, 0:r1]ᵀ · q[r0:r1] */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, hs, r1, 1.0f, D + (size_t)r0 * T, T,
                hd->k, hd->ldk, 1.0f, dq + (size_t)r0 * ldd, ldd);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, r1, hs, n, 1.0f, D + (size_t)r0 * T, T,
                hd->q + (size_t)r0 * hd->ldq, hd->ldq, 1.0f, dk, ldd);
  }
}

/* One head with k and v copied into own (two (T,hs) buffers): the
 * products that read them (dP = dout·vᵀ, dq += dS·k) went to OpenBLAS's
 * unpacked small-matrix kernels. The others pack their operands anyway, and
 * copying q and dout, or summing dq, dk, dv apart, cost more than it saved
 * (perf, `base`). */
static void head_backward_copied(float *dinp, const float *dout, float *D, const float *P,
                                 head_t hd, int C, size_t row0, const cs__drop_t *drop,
                                 float *own) {
  int T = hd.T, hs = hd.hs;
  float *k = own, *v = own + (size_t)T * hs;
  gather(k, hd.k, T, hs, hd.ldk);
  gather(v, hd.v, T, hs, hd.ldv);
  hd.k = k, hd.v = v;
  hd.ldk = hd.ldv = hs;
  head_backward(dinp, dinp + C, dinp + 2 * (size_t)C, 3 * C, D, dout, C, P, &hd, row0, drop);
}

void cs__attention_backward(float *dinp, float *datt, float *scratch, const float *dout,
                            const float *inp, const float *att, int B, int T, int C, int NH,
                            const cs__drop_t *drop) {
  /* dinp (B,T,3C), datt (B,NH,T,T) scratch, dout (B,T,C) */
  size_t per_thread = cs__att_scratch_floats(T, C, NH);
#pragma omp parallel for collapse(2) schedule(static) if (CS__PAR((size_t)B * NH * T * T))
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < NH; h++) {
      head_t hd = head_at(inp, b, h, T, C, NH);
      size_t row0 = ((size_t)b * NH + h) * T * T;
      size_t base = (size_t)b * T * 3 * (size_t)C + (size_t)h * hd.hs;
      const float *dy = dout + (size_t)b * T * C + (size_t)h * hd.hs;
      if (scratch) {
        float *own = scratch + (size_t)omp_get_thread_num() * per_thread + (size_t)T * T;
        head_backward_copied(dinp + base, dy, datt + row0, att + row0, hd, C, row0, drop, own);
      } else {
        head_backward(dinp + base, dinp + base + C, dinp + base + 2 * (size_t)C, 3 * C,
                      datt + row0, dy, C, att + row0, &hd, row0, drop);
      }
    }
  }
}
