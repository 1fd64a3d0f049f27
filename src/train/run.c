/* run.c — cs_train_run: a sharded training run from options to ledger.
 *
 * Order of work: read the dataset's manifest; settle the run's configuration
 * (from the options, or from OUT/run.json when resuming); copy the dataset's
 * tokenizer into OUT; read whose records the shards hold; train the shards
 * one after another, rewriting run.json after each; register the run (an
 * interrupted one too: its models already used the members' data).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "train/train_int.h"

static int fresh_cfg(const cs_train_opts_t *o, const cs__dataset_info_t *ds, cs__run_cfg_t *c,
                     cs_diag_t *diag) {
  memset(c, 0, sizeof *c);
  const char *preset = o->preset ? o->preset : "tiny";
  if (strlen(preset) >= sizeof c->preset)
    return cs_diag_set(diag, CS_ENOTFOUND, "--preset: unknown preset '%s'", preset);
  int rc = cs_model_preset(preset, (int)ds->vocab, &c->model, diag);
  if (rc < 0) return rc;
  memcpy(c->dataset_id, ds->id, sizeof c->dataset_id);
  memcpy(c->preset, preset, strlen(preset) + 1);
  c->steps = o->steps ? o->steps : 1000;
  c->seed = o->seed;
  c->batch = o->batch ? o->batch : 8;
  c->context = o->context ? o->context : c->model.max_seq_len;
  c->lr = o->lr > 0 ? o->lr : 1e-3f;
  c->min_lr = c->lr / 10;
  c->warmup = o->warmup ? o->warmup : c->steps / 10;
  c->eval_every = o->eval_every ? o->eval_every : (c->steps >= 4 ? c->steps / 4 : 1);
  c->eval_batches = o->eval_batches ? o->eval_batches : 8;
  c->n_shards = o->shards ? o->n_shards : ds->n_train;
  for (size_t i = 0; i < c->n_shards; i++) c->shards[i] = o->shards ? o->shards[i] : (unsigned)i;
  return CS_OK;
}

static int check_cfg(const cs__run_cfg_t *c, const cs__dataset_info_t *ds, cs_diag_t *diag) {
  if (c->context < 1 || c->context > c->model.max_seq_len)
    return cs_diag_set(diag, CS_EINVAL, "--context: expected 1 to %d for preset %s, got %d",
                       c->model.max_seq_len, c->preset, c->context);
  if (c->batch < 1 || c->batch > 4096) return cs_diag_set(diag, CS_EINVAL, "--batch: expected 1 to 4096");
  if (c->n_shards == 0) return cs_diag_set(diag, CS_EINVAL, "--shards: no shard named");
  for (size_t i = 0; i < c->n_shards; i++) {
    if (c->shards[i] >= ds->n_train)
      return cs_diag_set(diag, CS_EINVAL, "--shards: the dataset has shards 0 to %u, not %u",
                         ds->n_train - 1, c->shards[i]);
    for (size_t j = 0; j < i; j++)
      if (c->shards[j] == c->shards[i])
        return cs_diag_set(diag, CS_EINVAL, "--shards: shard %u named twice", c->shards[i]);
    if (ds->shard_tokens[c->shards[i]] < 2)
      return cs_diag_set(diag, CS_EINVAL, "shard %u: too few tokens to train on (%llu)",
                         c->shards[i], (unsigned long long)ds->shard_tokens[c->shards[i]]);
  }
  return cs_model_config_check(&c->model, diag);
}

/* Resuming: run.json's config, where the options may only raise the steps. */
static int resume_cfg(const cs_train_opts_t *o, const cs__dataset_info_t *ds, cs__run_t *r,
                      cs_diag_t *diag) {
  int rc = cs__run_load(o->out_dir, r, diag);
  if (rc < 0) return rc;
  cs__run_cfg_t *c = &r->cfg;
  if (strcmp(c->dataset_id, ds->id) != 0)
    return cs_diag_set(diag, CS_EINVAL, "--resume: %s was trained on dataset %.16s..., not %.16s...",
                       o->out_dir, c->dataset_id, ds->id);
  if ((o->preset && strcmp(o->preset, c->preset) != 0) || (o->batch && o->batch != c->batch) ||
      (o->context && o->context != c->context) || (o->seed && o->seed != c->seed))
    return cs_diag_set(diag, CS_EINVAL, "--resume: preset, batch, context and seed come from "
                                        "%s/run.json and cannot change", o->out_dir);
  if (o->shards && (o->n_shards != c->n_shards || memcmp(o->shards, c->shards, o->n_shards * sizeof *o->shards)))
    return cs_diag_set(diag, CS_EINVAL, "--resume: the run trains other shards");
  if (o->steps) c->steps = o->steps; /* extending a run changes its schedule and id */
  return CS_OK;
}

static int prepare_out(const cs_train_opts_t *o, cs_diag_t *diag) {
  char path[CS__PATH];
  if (snprintf(path, sizeof path, "%s/run.json", o->out_dir) >= (int)sizeof path - 64)
    return cs_diag_set(diag, CS_EINVAL, "%s: path too long", o->out_dir);
  struct stat st;
  if (!o->resume && stat(path, &st) == 0)
    return cs_diag_set(diag, CS_EINVAL, "%s: holds a training run already (use --resume)", o->out_dir);
  if (mkdir(o->out_dir, 0755) != 0 && errno != EEXIST)
    return cs_diag_set(diag, CS_EIO, "%s: cannot create: %s", o->out_dir, strerror(errno));
  return CS_OK;
}

static int copy_tokenizer(const char *dataset_dir, const char *out_dir, cs_diag_t *diag) {
  char src[CS__PATH], dst[CS__PATH];
  snprintf(src, sizeof src, "%s/tokenizer", dataset_dir);
  snprintf(dst, sizeof dst, "%s/tokenizer", out_dir);
  cs_tokenizer_t *tok = NULL;
  int rc = cs_tokenizer_load(src, &tok, diag);
  if (rc == CS_OK) rc = cs_tokenizer_save(tok, dst, diag);
  cs_tokenizer_free(tok);
  return rc;
}

static int setup(const cs_train_opts_t *o, cs__dataset_info_t *ds, cs__run_t *r, cs_diag_t *diag) {
  if (!o->dataset_dir || !o->out_dir)
    return cs_diag_set(diag, CS_EINVAL, "train: dataset and output directories are required");
  if (o->shards && (o->n_shards == 0 || o->n_shards > CS_TRAIN_MAX_SHARDS))
    return cs_diag_set(diag, CS_EINVAL, "--shards: expected 1 to %d shards", CS_TRAIN_MAX_SHARDS);
  int rc = cs__dataset_info(o->dataset_dir, ds, diag);
  memset(r, 0, sizeof *r);
  if (rc == CS_OK) rc = o->resume ? resume_cfg(o, ds, r, diag) : fresh_cfg(o, ds, &r->cfg, diag);
  if (rc == CS_OK) rc = check_cfg(&r->cfg, ds, diag);
  for (size_t i = 0; rc == CS_OK && !o->resume && i < r->cfg.n_shards; i++) {
    r->shard[i].shard = r->cfg.shards[i];
    r->shard[i].train_loss = r->shard[i].val_loss = NAN;
  }
  if (rc == CS_OK) rc = prepare_out(o, diag);
  if (rc == CS_OK) rc = copy_tokenizer(o->dataset_dir, o->out_dir, diag);
  return rc;
}

static void fill_result(const cs__run_t *r, const cs__dataset_info_t *ds, const cs__train_ctx_t *tc,
                        cs_train_result_t *out) {
  if (cs__run_id(&r->cfg, out->id) < 0) out->id[0] = '\0';
  memcpy(out->dataset_id, ds->id, sizeof out->dataset_id);
  out->n_shards = r->cfg.n_shards;
  memcpy(out->shard, r->shard, r->cfg.n_shards * sizeof *r->shard);
  out->complete = r->complete;
  out->steps_this_call = tc->steps_done;
  out->seconds = cs__now() - tc->t0;
  out->num_params = r->num_params;
}

static bool all_done(const cs__run_t *r) {
  for (size_t i = 0; i < r->cfg.n_shards; i++)
    if (r->shard[i].steps_done < r->cfg.steps) return false;
  return true;
}

int cs_train_run(cs_store_t *s, const cs_train_opts_t *opts, cs_train_result_t *out,
                 cs_diag_t *diag) {
  static cs__dataset_info_t ds_zero;
  cs__dataset_info_t ds = ds_zero;
  cs__run_t r;
  cs__run_members_t mem = {0};
  cs__train_ctx_t tc = {opts, &ds, cs__now(), opts->stop_after ? opts->stop_after : UINT64_MAX, 0, false};
  int rc = setup(opts, &ds, &r, diag);
  if (rc == CS_OK) rc = cs__run_collect_members(opts->dataset_dir, &ds, &r, &mem, diag);
  for (size_t i = 0; rc == CS_OK && i < r.cfg.n_shards && tc.budget; i++) {
    if (r.shard[i].steps_done >= r.cfg.steps) continue;
    rc = cs__train_shard(&tc, &r, i, diag);
    r.complete = all_done(&r);
    if (rc == CS_OK) rc = cs__run_save(opts->out_dir, &r, diag);
  }
  r.complete = rc == CS_OK && all_done(&r);
  if (rc == CS_OK) rc = cs__run_save(opts->out_dir, &r, diag);
  bool registered = false;
  if (rc == CS_OK && s && r.num_params) { /* any model written used the members' data */
    rc = cs__register_run(s, opts->out_dir, &ds, &r, &mem, diag);
    registered = rc == CS_OK;
  }
  if (rc == CS_OK) {
    fill_result(&r, &ds, &tc, out);
    out->registered = registered;
  }
  cs__run_members_free(&mem);
  return rc;
}
