/* encoder.c — token plus position embedding, forward and backward. */
#include "model/model_int.h"

void cs__encoder_forward(float *out, const int32_t *inp, const float *wte, const float *wpe,
                         int B, int T, int C) {
  /* out (B,T,C), inp (B,T), wte (V,C), wpe (maxT,C) */
#pragma omp parallel for collapse(2) schedule(static) if (CS__PAR((size_t)B * T * C))
  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      float *o = out + ((size_t)b * T + t) * C;
      const float *we = wte + (size_t)inp[(size_t)b * T + t] * C;
      const float *pe = wpe + (size_t)t * C;
      for (int c = 0; c < C; c++) o[c] = we[c] + pe[c];
    }
  }
}

/* Several positions may share a token, so rows of dwte are not owned by one
 * (b,t): threads split the channels instead, and each sums its channels over
 * all positions in a fixed order. */
void cs__encoder_backward(float *dwte, float *dwpe, const float *dout, const int32_t *inp,
                          int B, int T, int C) {
  enum { CB = 16 }; /* channels per task */
  int n_blocks = (C + CB - 1) / CB;
#pragma omp parallel for schedule(static) if (CS__PAR((size_t)B * T * C))
  for (int blk = 0; blk < n_blocks; blk++) {
    int c0 = blk * CB, c1 = c0 + CB < C ? c0 + CB : C;
    for (int b = 0; b < B; b++) {
      for (int t = 0; t < T; t++) {
        const float *d = dout + ((size_t)b * T + t) * C;
        float *dwe = dwte + (size_t)inp[(size_t)b * T + t] * C;
        float *dpe = dwpe + (size_t)t * C;
        for (int c = c0; c < c1; c++) {
          dwe[c] += d[c];
          dpe[c] += d[c];
        }
      }
    }
  }
}
