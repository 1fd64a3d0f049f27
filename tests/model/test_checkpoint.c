/* test_checkpoint.c — safetensors checkpoints: round trip, Hugging Face
 * names and layouts, exact resume, and the loader's refusals. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <consentry/model.h>

#include "check.h"
#include "model/model_int.h"

static char dir[] = "/tmp/cs_model_ckpt_XXXXXX";

static char *path_in(const char *sub) {
  static char buf[4][256];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, sub);
  return buf[k];
}

static cs_model_t *make(float dropout, uint64_t seed) {
  cs_model_config_t cfg;
  cs_diag_t d;
  CHECK_INT(cs_model_preset("tiny", 40, &cfg, &d), CS_OK);
  cfg.n_embd = 16; /* smaller than tiny: fast under ASan */
  cfg.max_seq_len = 12;
  cfg.dropout = dropout;
  cs_model_t *m = NULL;
  CHECK_INT(cs_model_new(&cfg, &m, &d), CS_OK);
  cs_model_rng_t r;
  cs_model_rng_seed(&r, seed);
  cs_model_init(m, &r);
  return m;
}

static void tokens(int32_t *t, size_t n, uint64_t seed) {
  cs_model_rng_t r;
  cs_model_rng_seed(&r, seed);
  for (size_t i = 0; i < n; i++) t[i] = (int32_t)(cs_model_rng_next(&r) % 40);
}

static void test_round_trip(void) {
  cs_model_t *m = make(0.1f, 1), *back = NULL;
  cs_diag_t d;
  CHECK_INT(cs_model_save(m, path_in("ck"), &d), CS_OK);
  CHECK_INT(cs_model_load(path_in("ck"), &back, &d), CS_OK);
  if (!back) return;
  CHECK(memcmp(cs_model_config(m), cs_model_config(back), sizeof(cs_model_config_t)) == 0);
  CHECK(memcmp(cs_model_params(m), cs_model_params(back), m->n_params * sizeof(float)) == 0);
  int32_t x[2 * 12];
  tokens(x, 24, 2);
  CHECK_INT(cs_model_forward(m, x, NULL, 2, 12, false, NULL, NULL, &d), CS_OK);
  CHECK_INT(cs_model_forward(back, x, NULL, 2, 12, false, NULL, NULL, &d), CS_OK);
  CHECK(memcmp(cs_model_logits(m), cs_model_logits(back), 24 * 40 * sizeof(float)) == 0);
  cs_model_free(m);
  cs_model_free(back);
}

/* The file uses GPT2LMHeadModel's names, with Conv1D weights as (in,out). */
static void test_hf_layout(void) {
  cs_model_t *m = make(0.0f, 3);
  cs_diag_t d;
  CHECK_INT(cs_model_save(m, path_in("hf"), &d), CS_OK);
  cs__st_file_t *f = NULL;
  CHECK_INT(cs__st_open(path_in("hf/model.safetensors"), &f, &d), CS_OK);
  if (!f) return;
  int C = 16, L = 2;
  CHECK_INT(cs__st_count(f), 5 + 12 * L);
  CHECK_STR(cs__st_meta(f, "format"), "pt");
  float *buf = malloc((size_t)C * 4 * C * sizeof(float));
  int64_t s_attn[2] = {C, 3 * C}, s_fcproj[2] = {4 * C, C}, s_wte[2] = {40, C};
  CHECK_INT(cs__st_read(f, "transformer.h.1.attn.c_attn.weight", s_attn, 2, 0, buf, &d), CS_OK);
  /* HF [i][o] == ours [o][i] for layer 1 */
  const float *qkvw1 = m->params.t[CS__P_QKVW] + 3 * C * C;
  CHECK(buf[5 * 3 * C + 7] == qkvw1[7 * C + 5]);
  CHECK(buf[(C - 1) * 3 * C + 3 * C - 1] == qkvw1[(3 * C - 1) * C + C - 1]);
  CHECK_INT(cs__st_read(f, "transformer.h.0.mlp.c_proj.weight", s_fcproj, 2, 0, buf, &d), CS_OK);
  CHECK(buf[9 * C + 2] == m->params.t[CS__P_FCPROJW][2 * 4 * C + 9]);
  CHECK_INT(cs__st_read(f, "lm_head.weight", s_wte, 2, 0, buf, &d), CS_OK);
  CHECK(memcmp(buf, m->params.t[CS__P_WTE], 40 * (size_t)C * sizeof(float)) == 0);
  CHECK_INT(cs__st_read(f, "transformer.h.0.attn.c_attn.weight", s_fcproj, 2, 0, buf, &d),
            CS_EINVAL);
  CHECK(strstr(d.msg, "expected [64, 16]") != NULL);
  CHECK_INT(cs__st_read(f, "transformer.h.2.ln_1.weight", s_fcproj, 1, 0, buf, &d), CS_ENOTFOUND);
  cs__st_close(f);
  free(buf);
  cs_model_free(m);
}

/* Train n steps; losses go to out. */
static void train(cs_model_t *m, cs_model_rng_t *rng, uint64_t *pos, int n, float *out) {
  cs_adamw_t hp = cs_adamw_defaults();
  cs_lr_schedule_t sch = {1e-2f, 1e-3f, 2, 6};
  cs_diag_t d;
  int32_t x[2 * 9];
  for (int i = 0; i < n; i++) {
    tokens(x, 18, 100 + (*pos)++);
    cs_model_zero_grad(m);
    CHECK_INT(cs_model_forward(m, x, x + 1, 2, 8, true, rng, &out[i], &d), CS_OK);
    CHECK_INT(cs_model_backward(m, &d), CS_OK);
    cs_model_clip_grad_norm(m, 1.0f);
    hp.lr = cs_model_lr(&sch, cs_model_step_count(m));
    CHECK_INT(cs_model_adamw_step(m, &hp, &d), CS_OK);
  }
}

/* Train 4 steps == train 2, save, load, train 2: the same bits. */
static void test_resume(void) {
  cs_diag_t d;
  float ref[4], got[4];
  cs_model_rng_t rng;
  uint64_t pos = 0;
  cs_model_t *a = make(0.2f, 7);
  cs_model_rng_seed(&rng, 8);
  train(a, &rng, &pos, 4, ref);

  cs_model_t *b = make(0.2f, 7), *c = NULL;
  cs_model_rng_seed(&rng, 8);
  pos = 0;
  train(b, &rng, &pos, 2, got);
  cs_model_train_state_t st = {rng, pos}, st2;
  CHECK_INT(cs_model_save(b, path_in("run"), &d), CS_OK);
  CHECK_INT(cs_model_save_optimizer(b, &st, path_in("run/optimizer.safetensors"), &d), CS_OK);
  cs_model_free(b);
  CHECK_INT(cs_model_load(path_in("run"), &c, &d), CS_OK);
  if (!c) return;
  CHECK_INT(cs_model_load_optimizer(c, path_in("run/optimizer.safetensors"), &st2, &d), CS_OK);
  CHECK_INT(cs_model_step_count(c), 2);
  CHECK(memcmp(&st, &st2, sizeof st) == 0);
  train(c, &st2.rng, &st2.data_pos, 2, got + 2);
  for (int i = 0; i < 4; i++) CHECK(memcmp(&ref[i], &got[i], sizeof(float)) == 0);
  CHECK(memcmp(cs_model_params(a), cs_model_params(c), a->n_params * sizeof(float)) == 0);
  for (int i = 0; i < 4; i++) CHECK(ref[i] > 0.0f && ref[i] < 10.0f);

  /* an optimizer file for another model is refused, and changes nothing */
  cs_model_config_t other = *cs_model_config(a);
  other.n_layer = 1;
  cs_model_t *o = NULL;
  CHECK_INT(cs_model_new(&other, &o, &d), CS_OK);
  CHECK_INT(cs_model_load_optimizer(o, path_in("run/optimizer.safetensors"), &st2, &d), CS_EINVAL);
  CHECK(strstr(d.msg, "n_params") != NULL);
  CHECK_INT(cs_model_step_count(o), 0);
  CHECK_INT(cs_model_load_optimizer(o, path_in("run/config.json"), &st2, &d), CS_EINVAL);
  cs_model_free(o);
  cs_model_free(a);
  cs_model_free(c);
}

static void write_file(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fwrite(data, 1, n, f);
  fclose(f);
}

static void *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  *n = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc(*n + 1);
  if (fread(b, 1, *n, f) != *n) *n = 0;
  fclose(f);
  return b;
}

static int load_err(const char *sub, const char *needle) {
  cs_model_t *m = NULL;
  cs_diag_t d = {{0}};
  int rc = cs_model_load(path_in(sub), &m, &d);
  CHECK(m == NULL);
  if (!strstr(d.msg, needle)) {
    check_failures++;
    fprintf(stderr, "message \"%s\" lacks \"%s\"\n", d.msg, needle);
  }
  return rc;
}

/* Damaged checkpoints are refused with a message naming what is wrong. */
static void test_refusals(void) {
  cs_model_t *m = make(0.0f, 5);
  cs_diag_t d;
  CHECK_INT(cs_model_save(m, path_in("bad"), &d), CS_OK);
  size_t n_st = 0, n_cfg = 0;
  char *st = read_file(path_in("bad/model.safetensors"), &n_st);
  char *cfg = read_file(path_in("bad/config.json"), &n_cfg);
  CHECK(st && cfg);
  if (!st || !cfg) return;
  cfg[n_cfg] = '\0';

  write_file(path_in("bad/model.safetensors"), st, n_st - 4); /* truncated data */
  CHECK_INT(load_err("bad", "outside the file"), CS_EINVAL);
  write_file(path_in("bad/model.safetensors"), st, 5); /* truncated header length */
  CHECK_INT(load_err("bad", "too short"), CS_EINVAL);
  char huge[16] = {(char)0xff, (char)0xff, (char)0xff, (char)0xff, 0, 0, 0, 0};
  write_file(path_in("bad/model.safetensors"), huge, sizeof huge);
  CHECK_INT(load_err("bad", "header length"), CS_EINVAL);
  char *st2 = malloc(n_st);
  memcpy(st2, st, n_st);
  char *dt = strstr(st2 + 8, "\"F32\"");
  memcpy(dt, "\"F16\"", 5);
  write_file(path_in("bad/model.safetensors"), st2, n_st);
  CHECK_INT(load_err("bad", "dtype is not F32"), CS_EINVAL);
  memcpy(st2, st, n_st);
  char *nm = strstr(st2 + 8, "transformer.ln_f.bias");
  memcpy(nm, "transformer.ln_f.BIAS", 21);
  write_file(path_in("bad/model.safetensors"), st2, n_st);
  CHECK_INT(load_err("bad", "transformer.ln_f.bias is missing"), CS_ENOTFOUND);
  memcpy(st2, st, n_st);
  st2[8] = '[';
  write_file(path_in("bad/model.safetensors"), st2, n_st);
  CHECK_INT(load_err("bad", "not a JSON object"), CS_EINVAL);
  write_file(path_in("bad/model.safetensors"), st, n_st);

  /* config.json: a different width makes every shape wrong */
  char *c2 = malloc(n_cfg + 16);
  char *w = strstr(cfg, "\"n_embd\": 16");
  CHECK(w != NULL);
  if (w) {
    snprintf(c2, n_cfg + 16, "%.*s\"n_embd\": 32%s", (int)(w - cfg), cfg, w + 12);
    write_file(path_in("bad/config.json"), c2, strlen(c2));
    CHECK_INT(load_err("bad", "transformer.wte.weight: shape [40,16], expected [40, 32]"),
              CS_EINVAL);
  }
  write_file(path_in("bad/config.json"), "{\"vocab_size\": 40}", 18);
  CHECK_INT(load_err("bad", "n_positions is missing"), CS_EINVAL);
  write_file(path_in("bad/config.json"), "{\"vocab_size\": 40", 17);
  CHECK_INT(load_err("bad", "not valid JSON"), CS_EINVAL);
  CHECK_INT(load_err("nowhere", "cannot open"), CS_ENOTFOUND);
  unlink(path_in("bad/config.json"));
  unlink(path_in("bad/model.safetensors"));
  rmdir(path_in("bad"));
  free(st), free(st2), free(cfg), free(c2);
  cs_model_free(m);
}

static void setup(void) { CHECK(mkdtemp(dir) != NULL); }

static void cleanup(void) {
  const char *files[] = {"ck/config.json", "ck/model.safetensors", "hf/config.json",
                         "hf/model.safetensors", "run/config.json", "run/model.safetensors",
                         "run/optimizer.safetensors"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) unlink(path_in(files[i]));
  rmdir(path_in("ck")), rmdir(path_in("hf")), rmdir(path_in("run"));
  CHECK_INT(rmdir(dir), 0);
}

RUN_TESTS(setup, test_round_trip, test_hf_layout, test_resume, test_refusals, cleanup)
