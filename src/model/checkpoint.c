/* checkpoint.c — model checkpoints in Hugging Face's GPT-2 layout, and
 * optimizer state for an exact resume.
 *
 * model.safetensors holds GPT2LMHeadModel's state dict: transformer.wte,
 * transformer.wpe, transformer.h.{i}.{ln_1, attn.c_attn, attn.c_proj, ln_2,
 * mlp.c_fc, mlp.c_proj}, transformer.ln_f and lm_head.weight (a copy of wte:
 * the head is tied, and loaders that expect the key find it). Conv1D weights
 * are (in,out), the transpose of the (out,in) kept in memory. config.json
 * has GPT2Config's keys plus consentry_* ones. Both files are written to a
 * temporary and renamed, so a checkpoint directory never holds a torn file. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <consentry/afile.h>

#include "model/model_int.h"

#define NAME_MAX_LEN 64

typedef struct {
  cs__st_tensor_t *t;
  char (*names)[NAME_MAX_LEN];
  size_t n;
} table_t;

static void table_free(table_t *tb) {
  free(tb->t);
  free(tb->names);
}

static void add(table_t *tb, const char *name, const float *data, int64_t d0, int64_t d1,
                int transpose) {
  cs__st_tensor_t *t = &tb->t[tb->n];
  snprintf(tb->names[tb->n], NAME_MAX_LEN, "%s", name);
  t->name = tb->names[tb->n];
  t->data = data;
  t->shape[0] = d0;
  t->shape[1] = d1;
  t->ndim = d1 < 0 ? 1 : 2;
  t->transpose = transpose;
  tb->n++;
}

static void add_layer(table_t *tb, const cs_model_t *m, const cs__params_t *p, int l) {
  int64_t C = m->cfg.n_embd, L = m->cfg.n_layer;
  char name[NAME_MAX_LEN];
#define LAYER(suffix, tensor, d0, d1, tr)                                                         \
  do {                                                                                             \
    snprintf(name, sizeof name, "transformer.h.%d.%s", l, suffix);                                 \
    add(tb, name, p->t[tensor] + (size_t)l * (m->param_sizes[tensor] / (size_t)L), d0, d1, tr);    \
  } while (0)
  LAYER("ln_1.weight", CS__P_LN1W, C, -1, 0);
  LAYER("ln_1.bias", CS__P_LN1B, C, -1, 0);
  LAYER("attn.c_attn.weight", CS__P_QKVW, C, 3 * C, 1);
  LAYER("attn.c_attn.bias", CS__P_QKVB, 3 * C, -1, 0);
  LAYER("attn.c_proj.weight", CS__P_ATTPROJW, C, C, 1);
  LAYER("attn.c_proj.bias", CS__P_ATTPROJB, C, -1, 0);
  LAYER("ln_2.weight", CS__P_LN2W, C, -1, 0);
  LAYER("ln_2.bias", CS__P_LN2B, C, -1, 0);
  LAYER("mlp.c_fc.weight", CS__P_FCW, C, 4 * C, 1);
  LAYER("mlp.c_fc.bias", CS__P_FCB, 4 * C, -1, 0);
  LAYER("mlp.c_proj.weight", CS__P_FCPROJW, 4 * C, C, 1);
  LAYER("mlp.c_proj.bias", CS__P_FCPROJB, C, -1, 0);
#undef LAYER
}

/* The tensor table of a params-layout buffer, in state-dict order. */
static int build_table(const cs_model_t *m, const float *buf, table_t *tb) {
  size_t n = 5 + 12 * (size_t)m->cfg.n_layer;
  tb->n = 0;
  tb->t = calloc(n, sizeof *tb->t);
  tb->names = calloc(n, sizeof *tb->names);
  if (!tb->t || !tb->names) {
    table_free(tb);
    return CS_ENOMEM;
  }
  cs__params_t p;
  cs__param_views(&m->cfg, (float *)buf, &p);
  int64_t V = m->cfg.vocab_size, C = m->cfg.n_embd, maxT = m->cfg.max_seq_len;
  add(tb, "transformer.wte.weight", p.t[CS__P_WTE], V, C, 0);
  add(tb, "transformer.wpe.weight", p.t[CS__P_WPE], maxT, C, 0);
  for (int l = 0; l < m->cfg.n_layer; l++) add_layer(tb, m, &p, l);
  add(tb, "transformer.ln_f.weight", p.t[CS__P_LNFW], C, -1, 0);
  add(tb, "transformer.ln_f.bias", p.t[CS__P_LNFB], C, -1, 0);
  add(tb, "lm_head.weight", p.t[CS__P_WTE], V, C, 0);
  return CS_OK;
}

int cs__model_write_tensors(const cs_model_t *m, const float *buf, const char *path,
                            cs_diag_t *diag) {
  table_t tb;
  if (build_table(m, buf, &tb)) return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  int rc = cs__st_write(path, tb.t, tb.n, "{\"format\":\"pt\"}", diag);
  table_free(&tb);
  return rc;
}

/* ---- config.json ------------------------------------------------------- */

static int write_config(const cs_model_config_t *c, const char *path, cs_diag_t *diag) {
  cs_afile_t *af = NULL;
  int rc = cs_afile_open(path, &af, diag);
  if (rc) return rc;
  double p = (double)c->dropout;
  fprintf(cs_afile_stream(af),
          "{\n  \"model_type\": \"gpt2\",\n  \"architectures\": [\"GPT2LMHeadModel\"],\n"
          "  \"vocab_size\": %d,\n  \"n_positions\": %d,\n  \"n_ctx\": %d,\n"
          "  \"n_embd\": %d,\n  \"n_layer\": %d,\n  \"n_head\": %d,\n  \"n_inner\": null,\n"
          "  \"activation_function\": \"gelu_new\",\n  \"layer_norm_epsilon\": 1e-05,\n"
          "  \"embd_pdrop\": %.9g,\n  \"attn_pdrop\": %.9g,\n  \"resid_pdrop\": %.9g,\n"
          "  \"initializer_range\": 0.02,\n  \"tie_word_embeddings\": true,\n"
          "  \"consentry_format\": 1,\n  \"consentry_version\": \"%s\",\n"
          "  \"consentry_dropout\": %.9g\n}\n",
          c->vocab_size, c->max_seq_len, c->max_seq_len, c->n_embd, c->n_layer, c->n_head, p, p,
          p, CS_VERSION, p);
  return cs_afile_commit(af, diag);
}

static int get_int(json_object *o, const char *path, const char *key, int *out, cs_diag_t *diag) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v))
    return cs_diag_set(diag, CS_EINVAL, "%s: %s is missing", path, key);
  int64_t x = json_object_get_int64(v);
  if (!json_object_is_type(v, json_type_int) || x < 1 || x > CS_MODEL_MAX_DIM)
    return cs_diag_set(diag, CS_EINVAL, "%s: %s is not an integer in 1..%d", path, key,
                       CS_MODEL_MAX_DIM);
  *out = (int)x;
  return CS_OK;
}

static int get_dropout(json_object *o, const char *path, float *out, cs_diag_t *diag) {
  json_object *v;
  *out = 0.0f;
  if (!json_object_object_get_ex(o, "consentry_dropout", &v) &&
      !json_object_object_get_ex(o, "resid_pdrop", &v))
    return CS_OK;
  if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
    return cs_diag_set(diag, CS_EINVAL, "%s: dropout is not a number", path);
  *out = (float)json_object_get_double(v);
  return CS_OK;
}

/* Keys that would change the architecture must agree with what is built. */
static int check_arch(json_object *o, const char *path, int n_embd, cs_diag_t *diag) {
  json_object *v;
  if (json_object_object_get_ex(o, "activation_function", &v)) {
    const char *s = json_object_get_string(v);
    if (!s || (strcmp(s, "gelu_new") && strcmp(s, "gelu_pytorch_tanh")))
      return cs_diag_set(diag, CS_EINVAL, "%s: activation_function must be gelu_new", path);
  }
  if (json_object_object_get_ex(o, "n_inner", &v) && v &&
      json_object_get_int64(v) != 4 * (int64_t)n_embd)
    return cs_diag_set(diag, CS_EINVAL, "%s: n_inner must be null or 4 * n_embd", path);
  if (json_object_object_get_ex(o, "tie_word_embeddings", &v) && !json_object_get_boolean(v))
    return cs_diag_set(diag, CS_EINVAL, "%s: untied word embeddings are not supported", path);
  return CS_OK;
}

static int parse_config(json_object *o, const char *path, cs_model_config_t *c, cs_diag_t *diag) {
  int rc;
  if (!json_object_is_type(o, json_type_object))
    return cs_diag_set(diag, CS_EINVAL, "%s: not a JSON object", path);
  if ((rc = get_int(o, path, "vocab_size", &c->vocab_size, diag)) ||
      (rc = get_int(o, path, "n_positions", &c->max_seq_len, diag)) ||
      (rc = get_int(o, path, "n_embd", &c->n_embd, diag)) ||
      (rc = get_int(o, path, "n_layer", &c->n_layer, diag)) ||
      (rc = get_int(o, path, "n_head", &c->n_head, diag)) ||
      (rc = get_dropout(o, path, &c->dropout, diag)) ||
      (rc = check_arch(o, path, c->n_embd, diag)))
    return rc;
  rc = cs_model_config_check(c, diag);
  if (rc) cs_diag_prefix(diag, "%s", path);
  return rc;
}

static int read_config(const char *path, cs_model_config_t *c, cs_diag_t *diag) {
  enum { MAX_CONFIG = 1 << 20 };
  FILE *f = fopen(path, "rb");
  if (!f)
    return cs_diag_set(diag, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "%s: cannot open: %s", path,
                       strerror(errno));
  char *buf = malloc(MAX_CONFIG);
  size_t n = buf ? fread(buf, 1, MAX_CONFIG, f) : 0;
  int rd_err = ferror(f);
  fclose(f);
  if (!buf) return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  int rc = CS_OK;
  if (rd_err || n == MAX_CONFIG) {
    rc = cs_diag_set(diag, CS_EINVAL, "%s: unreadable or larger than 1 MiB", path);
  } else {
    json_tokener *tok = json_tokener_new();
    json_object *o = tok ? json_tokener_parse_ex(tok, buf, (int)n) : NULL;
    if (!tok) rc = cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
    else if (!o || json_tokener_get_error(tok) != json_tokener_success)
      rc = cs_diag_set(diag, CS_EINVAL, "%s: not valid JSON", path);
    else rc = parse_config(o, path, c, diag);
    json_object_put(o);
    json_tokener_free(tok);
  }
  free(buf);
  return rc;
}

/* ---- save / load ------------------------------------------------------- */

static int join(char *out, size_t cap, const char *dir, const char *file, cs_diag_t *diag) {
  int n = snprintf(out, cap, "%s/%s", dir, file);
  if (n < 0 || (size_t)n >= cap)
    return cs_diag_set(diag, CS_EINVAL, "%s: path too long", dir);
  return CS_OK;
}

int cs_model_save(const cs_model_t *m, const char *dir, cs_diag_t *diag) {
  char path[4096];
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    return cs_diag_set(diag, CS_EIO, "%s: cannot create: %s", dir, strerror(errno));
  int rc = join(path, sizeof path, dir, "model.safetensors", diag);
  if (!rc) rc = cs__model_write_tensors(m, m->params_buf, path, diag);
  if (!rc) rc = join(path, sizeof path, dir, "config.json", diag);
  if (!rc) rc = write_config(&m->cfg, path, diag);
  return rc;
}

/* lm_head.weight, when present, must equal wte: the head is tied.
 * *present tells whether it was there. */
static int check_head(cs__st_file_t *f, const char *path, const cs_model_t *m, int *present,
                      cs_diag_t *diag) {
  size_t n = m->param_sizes[CS__P_WTE];
  float *head = malloc(n * sizeof(float));
  if (!head) return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  int64_t shape[2] = {m->cfg.vocab_size, m->cfg.n_embd};
  int rc = cs__st_read(f, "lm_head.weight", shape, 2, 0, head, diag);
  *present = rc == CS_OK;
  if (rc == CS_ENOTFOUND) {
    rc = CS_OK; /* optional: the head is tied */
  } else if (!rc && memcmp(head, m->params.t[CS__P_WTE], n * sizeof(float)) != 0) {
    rc = cs_diag_set(diag, CS_EINVAL, "%s: lm_head.weight differs from transformer.wte.weight "
                     "(only tied heads are supported)", path);
  }
  free(head);
  return rc;
}

static int load_tensors(cs_model_t *m, const char *path, cs_diag_t *diag) {
  cs__st_file_t *f = NULL;
  table_t tb;
  int rc = cs__st_open(path, &f, diag);
  if (rc) return rc;
  if (build_table(m, m->params_buf, &tb)) {
    cs__st_close(f);
    return cs_diag_set(diag, CS_ENOMEM, "%s: out of memory", path);
  }
  size_t required = tb.n - 1; /* all but lm_head.weight, which comes last */
  int head = 0;
  for (size_t i = 0; i < required && !rc; i++)
    rc = cs__st_read(f, tb.t[i].name, tb.t[i].shape, tb.t[i].ndim, tb.t[i].transpose,
                     (float *)tb.t[i].data, diag);
  if (!rc) rc = check_head(f, path, m, &head, diag);
  if (!rc && cs__st_count(f) != required + (size_t)head)
    rc = cs_diag_set(diag, CS_EINVAL, "%s: %zu tensors, expected %zu: unknown extra tensors",
                     path, cs__st_count(f), required + (size_t)head);
  table_free(&tb);
  cs__st_close(f);
  return rc;
}

int cs_model_load(const char *dir, cs_model_t **out, cs_diag_t *diag) {
  char path[4096];
  cs_model_config_t cfg;
  cs_model_t *m = NULL;
  int rc = join(path, sizeof path, dir, "config.json", diag);
  if (!rc) rc = read_config(path, &cfg, diag);
  if (!rc) rc = cs_model_new(&cfg, &m, diag);
  if (!rc) rc = join(path, sizeof path, dir, "model.safetensors", diag);
  if (!rc) rc = load_tensors(m, path, diag);
  if (rc) {
    cs_model_free(m);
    return rc;
  }
  *out = m;
  return CS_OK;
}
