/* shard.c — the training loop for one shard's model.
 *
 * Each step: a batch of random windows (loader.c), forward, backward, clip
 * the gradient norm to 1, the learning rate of the warm-up + cosine schedule,
 * one AdamW step. The one RNG (seeded with seed + shard) initialises the
 * model and then draws every window and dropout mask; it is saved with the
 * optimizer state, so resuming from a checkpoint replays exactly the steps
 * an uninterrupted run would take. The validation loss is measured every
 * eval_every steps and always at the last step, over the first eval_batches
 * batches of consecutive windows of val.bin: the same windows every time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "train/train_int.h"

typedef struct {
  cs_model_t *m;
  cs_train_loader_t *ld;
  cs_model_rng_t rng;
  uint16_t *val;
  size_t n_val;
  int32_t *x, *y; /* (B,T) */
  char dir[CS__PATH], opt_path[CS__PATH + 32];
} shard_t;

static void free_shard(shard_t *s) {
  cs_model_free(s->m);
  cs_train_loader_free(s->ld);
  free(s->val);
  free(s->x);
  free(s->y);
}

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* A fresh model, or the shard's checkpoint when resuming and one exists. */
static int open_model(shard_t *s, const cs__run_cfg_t *c, unsigned k, bool resume,
                      cs_diag_t *diag) {
  if (resume && exists(s->opt_path)) {
    cs_model_train_state_t st;
    int rc = cs_model_load(s->dir, &s->m, diag);
    if (rc == CS_OK) rc = cs_model_load_optimizer(s->m, s->opt_path, &st, diag);
    if (rc < 0) return rc;
    s->rng = st.rng;
    cs_train_loader_set_pos(s->ld, st.data_pos);
    return CS_OK;
  }
  int rc = cs_model_new(&c->model, &s->m, diag);
  if (rc < 0) return rc;
  cs_model_rng_seed(&s->rng, c->seed + k);
  cs_model_init(s->m, &s->rng);
  return CS_OK;
}

static int open_shard(shard_t *s, const cs__train_ctx_t *tc, const cs__run_cfg_t *c, unsigned k,
                      cs_diag_t *diag) {
  const char *ds = tc->opts->dataset_dir, *out = tc->opts->out_dir;
  char path[CS__PATH];
  snprintf(s->dir, sizeof s->dir, "%s/shard_%03u", out, k);
  snprintf(s->opt_path, sizeof s->opt_path, "%s/optimizer.safetensors", s->dir);
  snprintf(path, sizeof path, "%s/%s", ds, tc->ds->shard_file[k]);
  size_t BT = (size_t)c->batch * (size_t)c->context;
  s->x = malloc(BT * sizeof *s->x);
  s->y = malloc(BT * sizeof *s->y);
  if (!s->x || !s->y) return cs_diag_set(diag, CS_ENOMEM, "train: out of memory");
  int rc = cs_train_loader_open(path, c->batch, c->context, &s->ld, diag);
  if (rc == CS_OK && tc->ds->val_file[0]) {
    snprintf(path, sizeof path, "%s/%s", ds, tc->ds->val_file);
    rc = cs__read_shard(path, &s->val, &s->n_val, diag);
  }
  return rc == CS_OK ? open_model(s, c, k, tc->opts->resume, diag) : rc;
}

static int save_checkpoint(shard_t *s, cs_diag_t *diag) {
  cs_model_train_state_t st = {s->rng, cs_train_loader_pos(s->ld)};
  int rc = cs_model_save(s->m, s->dir, diag);
  return rc == CS_OK ? cs_model_save_optimizer(s->m, &st, s->opt_path, diag) : rc;
}

static int val_loss(shard_t *s, const cs__run_cfg_t *c, float *out, cs_diag_t *diag) {
  *out = NAN;
  if (s->n_val < 2) return CS_OK;
  cs__eval_spec_t e = {&s->m, 1, NULL, c->batch, c->context};
  double nll = 0, ens = 0;
  uint64_t count = 0;
  int rc = cs__eval_tokens(&e, s->val, s->n_val, (size_t)c->eval_batches * (size_t)c->batch, &nll,
                           &ens, &count, NULL, diag);
  if (rc == CS_OK && count) *out = (float)(nll / (double)count);
  return rc;
}

static int one_step(shard_t *s, const cs__run_cfg_t *c, float *loss, cs_diag_t *diag) {
  cs_lr_schedule_t sched = {c->lr, c->min_lr, c->warmup, c->steps};
  cs_adamw_t hp = cs_adamw_defaults();
  cs_train_loader_next(s->ld, &s->rng, s->x, s->y, NULL);
  cs_model_zero_grad(s->m);
  int rc = cs_model_forward(s->m, s->x, s->y, c->batch, c->context, true, &s->rng, loss, diag);
  if (rc == CS_OK) rc = cs_model_backward(s->m, diag);
  if (rc < 0) return rc;
  cs_model_clip_grad_norm(s->m, 1.0f);
  hp.lr = cs_model_lr(&sched, cs_model_step_count(s->m));
  return cs_model_adamw_step(s->m, &hp, diag);
}

/* The time limit is shared equally: shard i of n stops at (i+1)/n of it, so
 * every shard of an interrupted run gets some training. */
static bool out_of_time(const cs__train_ctx_t *tc, const cs__run_t *r, size_t i) {
  double limit = tc->opts->time_limit_s * (double)(i + 1) / (double)r->cfg.n_shards;
  return tc->budget == 0 || (tc->opts->time_limit_s > 0 && cs__now() - tc->t0 >= limit);
}

static void report(const cs__train_ctx_t *tc, const cs__run_t *r, size_t i,
                   const cs_train_shard_result_t *res, float loss) {
  if (!tc->opts->progress) return;
  double dt = cs__now() - tc->t0;
  cs_train_progress_t p = {res->shard, (unsigned)i, (unsigned)r->cfg.n_shards, res->steps_done,
                           r->cfg.steps, loss, res->val_loss,
                           dt > 0 ? (double)tc->steps_done * r->cfg.batch * r->cfg.context / dt : 0};
  tc->opts->progress(tc->opts->progress_ctx, &p);
}

static int loop(cs__train_ctx_t *tc, cs__run_t *r, size_t i, shard_t *s, cs_diag_t *diag) {
  const cs__run_cfg_t *c = &r->cfg;
  cs_train_shard_result_t *res = &r->shard[i];
  uint64_t every = tc->opts->checkpoint_every;
  int rc = CS_OK;
  while (rc == CS_OK && cs_model_step_count(s->m) < c->steps && !(tc->stopped = out_of_time(tc, r, i))) {
    float loss;
    rc = one_step(s, c, &loss, diag);
    uint64_t step = cs_model_step_count(s->m);
    res->steps_done = step;
    res->train_loss = loss;
    tc->budget--, tc->steps_done++;
    if (rc == CS_OK && ((c->eval_every && step % c->eval_every == 0) || step == c->steps))
      rc = val_loss(s, c, &res->val_loss, diag);
    if (rc == CS_OK && every && step % every == 0 && step < c->steps) rc = save_checkpoint(s, diag);
    report(tc, r, i, res, loss);
  }
  return rc;
}

int cs__train_shard(cs__train_ctx_t *tc, cs__run_t *r, size_t i, cs_diag_t *diag) {
  unsigned k = r->cfg.shards[i];
  shard_t s = {0};
  int rc = open_shard(&s, tc, &r->cfg, k, diag);
  if (rc == CS_OK) {
    uint64_t before = cs_model_step_count(s.m);
    r->num_params = cs_model_num_params(s.m);
    r->shard[i].steps_done = before;
    rc = loop(tc, r, i, &s, diag);
    if (rc == CS_OK && (cs_model_step_count(s.m) != before || before == 0))
      rc = save_checkpoint(&s, diag);
  }
  if (rc < 0) cs_diag_prefix(diag, "shard %u", k);
  free_shard(&s);
  return rc;
}
