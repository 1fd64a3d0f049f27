/* residual.c — the residual connection, out = a + b. */
#include "model/model_int.h"

void cs__residual_forward(float *out, const float *a, const float *b, size_t N) {
#pragma omp parallel for schedule(static) if (CS__PAR(N))
  for (size_t i = 0; i < N; i++) out[i] = a[i] + b[i];
}

void cs__residual_backward(float *da, float *db, const float *dout, size_t N) {
#pragma omp parallel for schedule(static) if (CS__PAR(N))
  for (size_t i = 0; i < N; i++) {
    da[i] += dout[i];
    db[i] += dout[i];
  }
}
