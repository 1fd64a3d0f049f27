/* runfile.c — run.json: a training run's configuration and results.
 *
 * The "config" object is written in a fixed key order with floats printed
 * to round-trip ("%.9g"), so the same configuration always gives the same
 * bytes and therefore the same run id (the SHA-256 of those bytes). Results
 * (steps done, losses) sit outside it: they do not change the run's identity.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <consentry/afile.h>
#include <consentry/merkle.h>

#include "train/train_int.h"

int cs__run_cfg_json(const cs__run_cfg_t *c, cs_buf_t *b) {
  const cs_model_config_t *m = &c->model;
  int rc = cs_buf_printf(
      b,
      "{\"dataset\":\"%s\",\"preset\":\"%s\",\"vocab_size\":%d,\"n_positions\":%d,"
      "\"n_layer\":%d,\"n_head\":%d,\"n_embd\":%d,\"dropout\":%.9g,\"batch\":%d,\"context\":%d,"
      "\"steps\":%llu,\"seed\":%llu,\"lr\":%.9g,\"min_lr\":%.9g,\"warmup\":%llu,"
      "\"eval_every\":%llu,\"eval_batches\":%d,\"shards\":[",
      c->dataset_id, c->preset, m->vocab_size, m->max_seq_len, m->n_layer, m->n_head, m->n_embd,
      (double)m->dropout, c->batch, c->context, (unsigned long long)c->steps,
      (unsigned long long)c->seed, (double)c->lr, (double)c->min_lr,
      (unsigned long long)c->warmup, (unsigned long long)c->eval_every, c->eval_batches);
  for (size_t i = 0; rc == CS_OK && i < c->n_shards; i++)
    rc = cs_buf_printf(b, "%s%u", i ? "," : "", c->shards[i]);
  return rc == CS_OK ? cs_buf_puts(b, "]}") : rc;
}

int cs__run_id(const cs__run_cfg_t *c, char id[65]) {
  cs_buf_t b = {0};
  int rc = cs__run_cfg_json(c, &b);
  if (rc == CS_OK) {
    uint8_t h[CS_SHA256_LEN];
    cs_sha256(b.p, b.len, h);
    cs_hex(h, sizeof h, id);
  }
  cs_buf_free(&b);
  return rc;
}

/* A loss as JSON: NaN (no validation data) is null. */
static int put_loss(cs_buf_t *b, const char *key, float v) {
  return isfinite(v) ? cs_buf_printf(b, ",\"%s\":%.9g", key, (double)v)
                     : cs_buf_printf(b, ",\"%s\":null", key);
}

static int put_shard(cs_buf_t *b, const cs_train_shard_result_t *s, bool first) {
  int rc = cs_buf_printf(b,
                         "%s{\"shard\":%u,\"dir\":\"shard_%03u\",\"steps_done\":%llu,"
                         "\"tokens\":%llu,\"records\":%llu,\"members\":%llu",
                         first ? "" : ",", s->shard, s->shard, (unsigned long long)s->steps_done,
                         (unsigned long long)s->tokens, (unsigned long long)s->records,
                         (unsigned long long)s->members);
  if (rc == CS_OK) rc = put_loss(b, "train_loss", s->train_loss);
  if (rc == CS_OK) rc = put_loss(b, "val_loss", s->val_loss);
  return rc == CS_OK ? cs_buf_puts(b, "}") : rc;
}

static int render(const cs__run_t *r, cs_buf_t *b) {
  char id[65];
  int rc = cs__run_id(&r->cfg, id);
  if (rc == CS_OK)
    rc = cs_buf_printf(b, "{\"format\":\"%s\",\"id\":\"%s\",\"complete\":%s,\"num_params\":%zu,"
                          "\"tokenizer\":\"tokenizer\",\"config\":",
                       CS_TRAIN_FORMAT, id, r->complete ? "true" : "false", r->num_params);
  if (rc == CS_OK) rc = cs__run_cfg_json(&r->cfg, b);
  if (rc == CS_OK) rc = cs_buf_puts(b, ",\"shards\":[");
  for (size_t i = 0; rc == CS_OK && i < r->cfg.n_shards; i++) rc = put_shard(b, &r->shard[i], i == 0);
  return rc == CS_OK ? cs_buf_puts(b, "]}\n") : rc;
}

int cs__run_save(const char *out_dir, const cs__run_t *r, cs_diag_t *diag) {
  char path[CS__PATH];
  snprintf(path, sizeof path, "%s/run.json", out_dir);
  cs_buf_t b = {0};
  if (render(r, &b) < 0) {
    cs_buf_free(&b);
    return cs_diag_set(diag, CS_ENOMEM, "run.json: out of memory");
  }
  cs_afile_t *af;
  int rc = cs_afile_open(path, &af, diag);
  if (rc == CS_OK && fwrite(b.p, 1, b.len, cs_afile_stream(af)) != b.len) {
    cs_afile_abort(af);
    rc = cs_diag_set(diag, CS_EIO, "%s: write failed", path);
  } else if (rc == CS_OK) {
    rc = cs_afile_commit(af, diag);
  }
  cs_buf_free(&b);
  return rc;
}

/* ---- reading it back ------------------------------------------------------ */

static int64_t get_int(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int)
             ? json_object_get_int64(v)
             : -1;
}

static double get_num(json_object *o, const char *key) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v)) return NAN;
  return json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)
             ? json_object_get_double(v)
             : NAN;
}

static bool get_str(json_object *o, const char *key, char *dst, size_t cap) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string)) return false;
  const char *s = json_object_get_string(v);
  if (strlen(s) >= cap) return false;
  memcpy(dst, s, strlen(s) + 1);
  return true;
}

static bool read_cfg(json_object *c, cs__run_cfg_t *o) {
  cs_model_config_t *m = &o->model;
  m->vocab_size = (int)get_int(c, "vocab_size");
  m->max_seq_len = (int)get_int(c, "n_positions");
  m->n_layer = (int)get_int(c, "n_layer");
  m->n_head = (int)get_int(c, "n_head");
  m->n_embd = (int)get_int(c, "n_embd");
  m->dropout = (float)get_num(c, "dropout");
  o->batch = (int)get_int(c, "batch");
  o->context = (int)get_int(c, "context");
  o->eval_batches = (int)get_int(c, "eval_batches");
  int64_t steps = get_int(c, "steps"), warm = get_int(c, "warmup"), ev = get_int(c, "eval_every");
  o->steps = (uint64_t)steps, o->warmup = (uint64_t)warm, o->eval_every = (uint64_t)ev;
  o->lr = (float)get_num(c, "lr");
  o->min_lr = (float)get_num(c, "min_lr");
  json_object *seed, *sh;
  if (!json_object_object_get_ex(c, "seed", &seed) || !json_object_is_type(seed, json_type_int) ||
      !json_object_object_get_ex(c, "shards", &sh) || !json_object_is_type(sh, json_type_array))
    return false;
  o->seed = json_object_get_uint64(seed);
  o->n_shards = json_object_array_length(sh);
  if (o->n_shards == 0 || o->n_shards > CS_TRAIN_MAX_SHARDS) return false;
  for (size_t i = 0; i < o->n_shards; i++) {
    int64_t k = json_object_get_int64(json_object_array_get_idx(sh, i));
    if (k < 0 || k >= CS_TRAIN_MAX_SHARDS) return false;
    o->shards[i] = (unsigned)k;
  }
  return get_str(c, "dataset", o->dataset_id, sizeof o->dataset_id) &&
         get_str(c, "preset", o->preset, sizeof o->preset) && steps > 0 && warm >= 0 &&
         ev >= 0 && o->batch > 0 && o->context > 0 && o->eval_batches > 0 &&
         isfinite(o->lr) && isfinite(o->min_lr) && cs_model_config_check(m, NULL) == CS_OK;
}

static bool read_shard(json_object *s, cs_train_shard_result_t *o) {
  int64_t k = get_int(s, "shard"), done = get_int(s, "steps_done"), tok = get_int(s, "tokens"),
          rec = get_int(s, "records"), mem = get_int(s, "members");
  o->shard = (unsigned)k, o->steps_done = (uint64_t)done, o->tokens = (uint64_t)tok;
  o->records = (uint64_t)rec, o->members = (uint64_t)mem;
  o->train_loss = (float)get_num(s, "train_loss");
  o->val_loss = (float)get_num(s, "val_loss");
  return k >= 0 && done >= 0 && tok >= 0 && rec >= 0 && mem >= 0;
}

static bool read_run(json_object *j, cs__run_t *o) {
  json_object *cfg, *sh, *complete;
  if (!json_object_object_get_ex(j, "config", &cfg) || !read_cfg(cfg, &o->cfg) ||
      !json_object_object_get_ex(j, "shards", &sh) || !json_object_is_type(sh, json_type_array) ||
      json_object_array_length(sh) != o->cfg.n_shards ||
      !json_object_object_get_ex(j, "complete", &complete))
    return false;
  o->complete = json_object_get_boolean(complete);
  o->num_params = (size_t)get_int(j, "num_params");
  for (size_t i = 0; i < o->cfg.n_shards; i++)
    if (!read_shard(json_object_array_get_idx(sh, i), &o->shard[i]) ||
        o->shard[i].shard != o->cfg.shards[i])
      return false;
  return true;
}

int cs__run_load(const char *out_dir, cs__run_t *out, cs_diag_t *diag) {
  char path[CS__PATH];
  snprintf(path, sizeof path, "%s/run.json", out_dir);
  FILE *f = fopen(path, "rb");
  if (!f) return cs_diag_set(diag, CS_ENOTFOUND, "%s: no training run here (no run.json)", out_dir);
  fclose(f);
  json_object *j = json_object_from_file(path);
  cs__run_t r;
  memset(&r, 0, sizeof r);
  bool ok = j && read_run(j, &r);
  json_object_put(j);
  if (!ok) return cs_diag_set(diag, CS_EINVAL, "%s: damaged or not a consentry run file", path);
  *out = r;
  return CS_OK;
}
