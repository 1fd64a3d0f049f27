/* test_torch.c — PyTorch loads a consentry checkpoint and computes the same
 * logits, loss and gradients (tests/model/torch_check.py).
 *
 * Runs only where a python3 with torch is found ($CS_PYTHON, python3, or
 * /usr/bin/python3, where Debian's python3-torch installs); elsewhere it
 * prints "skipped: no PyTorch" and passes. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <consentry/model.h>

#include "check.h"
#include "model/model_int.h"

static const char *find_python(void) {
  static char cmd[512];
  const char *env = getenv("CS_PYTHON");
  const char *cands[] = {env, "python3", "/usr/bin/python3"};
  for (size_t i = 0; i < 3; i++) {
    if (!cands[i] || !*cands[i]) continue;
    snprintf(cmd, sizeof cmd, "%s -c 'import torch' >/dev/null 2>&1", cands[i]);
    if (system(cmd) == 0) return cands[i];
  }
  return NULL;
}

/* Writes inputs, targets (as F32), logits and loss for the script. */
static int write_io(const char *path, const int32_t *x, const int32_t *y, int B, int T, int V,
                    const float *logits, float loss, cs_diag_t *d) {
  float xf[64], yf[64];
  for (int i = 0; i < B * T; i++) xf[i] = (float)x[i], yf[i] = (float)y[i];
  cs__st_tensor_t ts[4] = {
      {"inputs", xf, {B, T}, 2, 0},
      {"targets", yf, {B, T}, 2, 0},
      {"logits", logits, {(int64_t)B * T, V}, 2, 0},
      {"loss", &loss, {1, 0}, 1, 0},
  };
  return cs__st_write(path, ts, 4, NULL, d);
}

static void test_torch(void) {
  const char *py = find_python();
  if (!py) {
    printf("skipped: no PyTorch\n");
    return;
  }
  const char *src = getenv("CS_SOURCE");
  char dir[] = "/tmp/cs_torch_XXXXXX", path[512], cmd[1024];
  CHECK(mkdtemp(dir) != NULL);
  enum { B = 2, T = 16, V = 50 };
  cs_model_config_t cfg = {V, 24, 2, 2, 32, 0.0f};
  cs_model_t *m = NULL;
  cs_diag_t d;
  CHECK_INT(cs_model_new(&cfg, &m, &d), CS_OK);
  cs_model_rng_t rng;
  cs_model_rng_seed(&rng, 2024);
  cs_model_init(m, &rng);
  /* non-trivial biases and gains, so that every tensor matters */
  float *p = cs_model_params(m);
  for (size_t i = 0; i < m->n_params; i++) p[i] += 0.1f * (cs_model_rng_uniform(&rng) - 0.5f);
  int32_t x[B * T], y[B * T];
  for (int i = 0; i < B * T; i++) {
    x[i] = (int32_t)(cs_model_rng_next(&rng) % V);
    y[i] = (int32_t)(cs_model_rng_next(&rng) % V);
  }
  float loss;
  CHECK_INT(cs_model_forward(m, x, y, B, T, false, NULL, &loss, &d), CS_OK);
  cs_model_zero_grad(m);
  CHECK_INT(cs_model_backward(m, &d), CS_OK);
  CHECK_INT(cs_model_save(m, dir, &d), CS_OK);
  snprintf(path, sizeof path, "%s/io.safetensors", dir);
  CHECK_INT(write_io(path, x, y, B, T, V, cs_model_logits(m), loss, &d), CS_OK);
  snprintf(path, sizeof path, "%s/grads.safetensors", dir);
  CHECK_INT(cs__model_write_tensors(m, cs_model_grads(m), path, &d), CS_OK);
  printf("consentry loss %.7f\n", (double)loss);
  fflush(stdout);
  snprintf(cmd, sizeof cmd, "%s %s/tests/model/torch_check.py %s", py, src ? src : ".", dir);
  CHECK_INT(system(cmd), 0);
  const char *files[] = {"config.json", "model.safetensors", "io.safetensors", "grads.safetensors"};
  for (size_t i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    unlink(path);
  }
  CHECK_INT(rmdir(dir), 0);
  cs_model_free(m);
}

RUN_TESTS(test_torch)
