/* mlp.c — the MLP's first linear layer fused with its GELU, and the whole
 * MLP's backward in one pass over row blocks.
 *
 * Unfused, the (N,4C) hidden activation crosses memory three times: the bias
 * fill, the product (BLAS reads and writes it back with beta = 1) and the
 * GELU pass, each its own parallel region. Here threads take blocks of RB
 * rows: the product goes into the block (single-threaded BLAS, as inside
 * any parallel region), then bias and GELU run over it while it is still in
 * cache. Every block is independent, so the result does not depend on the
 * thread count; cs__matmul_forward + cs__gelu_forward remain the reference
 * the tests hold this to.
 * Backward does the same: per block, dact = dproj · w_proj, dpre = gelu' dact
 * and dinp += dpre · w_fc, with dact and dpre written, not accumulated, so
 * those two buffers need no zeroing; the weight gradients, sums over all
 * rows, stay whole products on threaded BLAS. */
#include <cblas.h>

#include "model/model_int.h"

/* Rows per block. Every block's product packs the whole (4C,C) weight
 * matrix again: at 64 rows that copy was a third of the product's time
 * (perf, `base`). At 1024 rows (a thread's whole share in `base` and
 * `small`) the weights are packed once per pass and the block, 6 MiB at
 * C = 384, stays in L3 for the GELU pass. Per thread, both threads busy,
 * best of 25 (`base`, one layer): forward + backward 70.7 ms at 256 rows,
 * 67.5 ms at 1024. */
enum { RB = 1024 };

void cs__matmul_gelu_forward(float *pre, float *out, const float *inp, const float *weight,
                             const float *bias, int N, int C, int OC) {
  int n_blocks = (N + RB - 1) / RB;
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C * OC))
  for (int blk = 0; blk < n_blocks; blk++) {
    int r0 = blk * RB, n = r0 + RB < N ? RB : N - r0;
    float *p = pre + (size_t)r0 * OC;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, OC, C, 1.0f, inp + (size_t)r0 * C, C,
                weight, C, 0.0f, p, OC);
    cs__bias_gelu_rows(p, out + (size_t)r0 * OC, bias, n, OC);
  }
}

void cs__mlp_backward(float *dinp, float *dw_fc, float *db_fc, float *dw_proj, float *db_proj,
                      float *dpre, float *dact, const float *dproj, const float *inp,
                      const float *pre, const float *act, const float *w_fc,
                      const float *w_proj, int N, int C, int OC) {
  /* the projection's parameters: dw_proj (C,OC) += dprojᵀ · act; db_proj */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, C, OC, N, 1.0f, dproj, C, act, OC, 1.0f,
              dw_proj, OC);
  cs__bias_backward(db_proj, dproj, N, C);
  int n_blocks = (N + RB - 1) / RB;
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)N * C * OC))
  for (int blk = 0; blk < n_blocks; blk++) {
    int r0 = blk * RB, n = r0 + RB < N ? RB : N - r0;
    size_t o = (size_t)r0 * OC;
    /* dact = dproj · w_proj, then dpre = gelu'(pre) dact: both written */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, OC, C, 1.0f, dproj + (size_t)r0 * C,
                C, w_proj, OC, 0.0f, dact + o, OC);
    cs__gelu_backward_rows(dpre + o, pre + o, dact + o, (size_t)n * OC);
    /* dinp += dpre · w_fc */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, C, OC, 1.0f, dpre + o, OC, w_fc, C,
                1.0f, dinp + (size_t)r0 * C, C);
  }
  /* dw_fc (OC,C) += dpreᵀ · inp over all rows (threaded BLAS); db_fc */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, N, 1.0f, dpre, OC, inp, C, 1.0f,
              dw_fc, C);
  cs__bias_backward(db_fc, dpre, N, OC);
}
