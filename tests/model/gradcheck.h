/* gradcheck.h — finite-difference gradient checks for the model tests.
 *
 * A layer is checked through the scalar J = Σ out·r for a fixed random r:
 * its backward, given dout = r, must give dJ/dx, which is estimated by
 * central differences (J(x+eps) − J(x−eps)) / 2eps with J summed in double. */
#ifndef CS_TESTS_GRADCHECK_H
#define CS_TESTS_GRADCHECK_H

#include <math.h>
#include <stdio.h>

#include <consentry/model.h>

#include "check.h"

static inline void fill_randn(float *x, size_t n, float std, cs_model_rng_t *rng) {
  for (size_t i = 0; i < n; i++) {
    /* sum of 4 uniforms: smooth enough, and no libm in the generator */
    float s = 0.0f;
    for (int k = 0; k < 4; k++) s += cs_model_rng_uniform(rng) - 0.5f;
    x[i] = s * std * 1.7320508f;
  }
}

static inline double dot_obj(const float *out, const float *r, size_t n) {
  double s = 0.0;
  for (size_t i = 0; i < n; i++) s += (double)out[i] * r[i];
  return s;
}

typedef double (*objective_fn)(void *ctx); /* runs the forward, returns J */

/* Compares analytic[i] with the numerical dJ/dx[i] for every stride-th i.
 * Returns the largest error relative to atol + rtol·|g|, so <= 1 passes. */
static inline double gradcheck(const char *what, float *x, size_t n, size_t stride,
                        const float *analytic, objective_fn f, void *ctx, float eps, double atol,
                        double rtol) {
  double worst = 0.0;
  for (size_t i = 0; i < n; i += stride) {
    float saved = x[i];
    x[i] = saved + eps;
    double jp = f(ctx);
    x[i] = saved - eps;
    double jm = f(ctx);
    x[i] = saved;
    double num = (jp - jm) / (2.0 * (double)eps), an = analytic[i];
    double err = fabs(num - an) / (atol + rtol * fmax(fabs(num), fabs(an)));
    if (err > worst) worst = err;
    if (err > 1.0) {
      check_failures++;
      fprintf(stderr, "gradcheck %s[%zu]: analytic %.7g numerical %.7g\n", what, i, an, num);
    }
    check_count++;
  }
  f(ctx); /* leave the forward state as it was at x */
  return worst;
}

#endif
