/* gelu.c — GELU with the tanh approximation (GPT-2's "gelu_new"):
 * y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x³))). */
#include <math.h>

#include "model/model_int.h"

#define GELU_SCALE 0.7978845608028654f /* sqrt(2/pi) */

void cs__gelu_forward(float *out, const float *inp, size_t N) {
#pragma omp parallel for schedule(static) if (CS__PAR(N))
  for (size_t i = 0; i < N; i++) {
    float x = inp[i];
    float cube = 0.044715f * x * x * x;
    out[i] = 0.5f * x * (1.0f + tanhf(GELU_SCALE * (x + cube)));
  }
}

void cs__gelu_backward(float *dinp, const float *inp, const float *dout, size_t N) {
#pragma omp parallel for schedule(static) if (CS__PAR(N))
  for (size_t i = 0; i < N; i++) {
    float x = inp[i];
    float cube = 0.044715f * x * x * x;
    float arg = GELU_SCALE * (x + cube);
    float th = tanhf(arg);
    float sech2 = 1.0f - th * th;
    float local = 0.5f * (1.0f + th) + x * 0.5f * sech2 * GELU_SCALE * (1.0f + 3.0f * 0.044715f * x * x);
    dinp[i] += local * dout[i];
  }
}
