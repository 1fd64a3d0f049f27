/* bench_model.c — training speed of the GPT-2 model (not a test).
 *
 * Times full training steps (zero_grad, forward, backward, clip, AdamW) on
 * random tokens, after two warm-up steps:
 *   small: 4 layers, 4 heads, 128 wide, context 128, vocab 256, batch 16
 *          → tokens/s (goal: 1.5 x PyTorch 1.13's ~14.5k tok/s on 2 threads);
 *   base:  6 layers, 6 heads, 384 wide, context 256, vocab 256, batch 8
 *          → GFLOP/s (goal: 150; OpenBLAS sgemm peaks near 190 on 2 cores).
 * FLOPs counted are the ones the step performs: 3 x the forward's matmuls
 * (2·(12·L·C² + C·V) per token) plus causal attention (q·k and att·v over
 * t+1 positions per row, forward and twice that backward).
 * Also prints the steps' CPU time (both threads) and the fastest step: on a
 * shared machine a slower wall clock with the same CPU time is other load,
 * not the code, and the fastest step is the one that load disturbed least.
 *   sgemm: OpenBLAS sgemm alone on all threads (2048x1536x384 and
 *          4096x4096x1024, best of REPS): the peak that `base` is held to
 *          (goal 80%), measured beside it because the machine's speed swings.
 * bench/train/run.sh builds this and runs it beside bench_torch.py. By hand
 * (after building the library in build/):
 *   cc -O2 -std=c17 -D_GNU_SOURCE -fopenmp $(pkg-config --cflags openblas) -Iinclude \
 *      bench/train/bench_model.c build/libconsentry.a $(pkg-config --libs json-c openblas) \
 *      -lm -o build/bench_model && OMP_NUM_THREADS=2 build/bench_model [small|base|all|sgemm] [STEPS]
 */
#include <consentry/model.h>

#include <cblas.h>
#include <omp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_now(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static double step_flops(const cs_model_config_t *c, int B, int T) {
  double L = c->n_layer, C = c->n_embd, V = c->vocab_size, BT = (double)B * T;
  double matmul = 2.0 * (12.0 * L * C * C + C * V) * BT;
  double attn = L * B * ((double)T * (T + 1) / 2.0) * C * 2.0 * 2.0;
  return 3.0 * (matmul + attn);
}

/* What training needs to hold, in bytes: parameters, gradients and the two
 * AdamW moments (4P), one private gradient buffer per extra thread of the
 * batch split, and the activations of a (B,T) forward and their gradients
 * (model_int.h's tensors: 18C + 4 + NH·T floats per token and layer, plus
 * 2C + 2V + 3 for the embedding output, final LayerNorm and loss). */
static double analytic_bytes(const cs_model_config_t *c, size_t P, int B, int T, int threads) {
  double L = c->n_layer, C = c->n_embd, V = c->vocab_size, NH = c->n_head, BT = (double)B * T;
  double acts = BT * (L * (18.0 * C + 4.0 + NH * T) + 2.0 * C + 2.0 * V + 3.0);
  double split = threads > 1 && B >= threads ? (double)(threads - 1) * (double)P : 0.0;
  return 4.0 * (4.0 * (double)P + split + 2.0 * acts);
}

static int run(const char *preset, int B, int steps) {
  cs_model_config_t cfg;
  cs_diag_t d = {{0}};
  cs_model_t *m = NULL;
  if (cs_model_preset(preset, 256, &cfg, &d) || cs_model_new(&cfg, &m, &d)) {
    fprintf(stderr, "bench: %s\n", d.msg);
    return 1;
  }
  int T = cfg.max_seq_len;
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, 1);
  cs_model_init(m, &rng);
  int32_t *tok = malloc(((size_t)B * T + 1) * sizeof(int32_t));
  for (size_t i = 0; i < (size_t)B * T + 1; i++) tok[i] = (int32_t)(cs_model_rng_next(&rng) % 256);
  cs_adamw_t hp = cs_adamw_defaults();
  double t0 = 0.0, c0 = 0.0, best = 1e30;
  float loss = 0.0f;
  int rc = 0;
  for (int s = 0; s < steps + 2 && !rc; s++) {
    if (s == 2) {
      t0 = now();
      c0 = cpu_now();
    }
    double ts = now();
    cs_model_zero_grad(m);
    rc = cs_model_forward(m, tok, tok + 1, B, T, true, &rng, &loss, &d);
    if (!rc) rc = cs_model_backward(m, &d);
    cs_model_clip_grad_norm(m, 1.0f);
    if (!rc) rc = cs_model_adamw_step(m, &hp, &d);
    if (s >= 2 && now() - ts < best) best = now() - ts;
  }
  double dt = now() - t0, cpu = cpu_now() - c0;
  if (rc) {
    fprintf(stderr, "bench: %s\n", d.msg);
  } else {
    double tps = (double)B * T * steps / dt;
    double flops = step_flops(&cfg, B, T);
    printf("%-5s params %zu  B=%d T=%d  %d steps in %.2f s (cpu %.2f s)  %.0f tokens/s  "
           "%.1f GFLOP/s  (fastest step %.1f)  (loss %.3f)  analytic %.1f MB\n",
           preset, cs_model_num_params(m), B, T, steps, dt, cpu, tps, flops * steps / dt / 1e9,
           flops / best / 1e9, (double)loss,
           analytic_bytes(&cfg, cs_model_num_params(m), B, T, omp_get_max_threads()) / 1e6);
  }
  free(tok);
  cs_model_free(m);
  return rc ? 1 : 0;
}

/* GFLOP/s of the best of `reps` row-major M x N x K sgemms (threaded BLAS). */
static double sgemm_gflops(int M, int N, int K, int reps) {
  float *a = malloc((size_t)M * K * sizeof(float)), *b = malloc((size_t)K * N * sizeof(float));
  float *c = malloc((size_t)M * N * sizeof(float));
  double best = 0.0;
  if (a && b && c) {
    for (size_t i = 0; i < (size_t)M * K; i++) a[i] = (float)(i % 13) * 0.01f;
    for (size_t i = 0; i < (size_t)K * N; i++) b[i] = (float)(i % 7) * 0.01f;
    for (int r = 0; r < reps + 1; r++) { /* the first is a warm-up */
      double t0 = now();
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, a, K, b, N, 0.0f, c,
                  N);
      double g = 2.0 * M * N * K / (now() - t0) / 1e9;
      if (r > 0 && g > best) best = g;
    }
  }
  free(a);
  free(b);
  free(c);
  return best;
}

static int run_sgemm(int reps) {
  double g1 = sgemm_gflops(2048, 1536, 384, 4 * reps), g2 = sgemm_gflops(4096, 4096, 1024, reps);
  if (g1 <= 0.0 || g2 <= 0.0) {
    fprintf(stderr, "bench: out of memory\n");
    return 1;
  }
  printf("sgemm %d threads  2048x1536x384 %.1f GFLOP/s  4096x4096x1024 %.1f GFLOP/s  "
         "peak %.1f GFLOP/s\n",
         omp_get_max_threads(), g1, g2, g1 > g2 ? g1 : g2);
  return 0;
}

int main(int argc, char **argv) {
  const char *which = argc > 1 ? argv[1] : "all";
  int steps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 10;
  if (steps < 1) steps = 10;
  if (!strcmp(which, "sgemm")) return run_sgemm(argc > 2 ? steps : 3);
  int rc = 0;
  if (!strcmp(which, "small") || !strcmp(which, "all")) rc |= run("small", 16, steps);
  if (!strcmp(which, "base") || !strcmp(which, "all")) rc |= run("base", 8, steps);
  return rc;
}
